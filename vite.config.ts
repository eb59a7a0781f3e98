import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The web app only: src/web -> dist/web, relative URLs so it works from any path or a file server.
export default defineConfig({
  root: fileURLToPath(new URL("./src/web", import.meta.url)),
  base: "./",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: "es" },
});
