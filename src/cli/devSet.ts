import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DEV_SET = "data/validation/dev.json";

/**
 * The dev set that `validate` and `calibrate` read when given no FILE, from the package's own data/
 * at run time: the package ships data/ for users to read, and bundling the file into the CLI as well
 * carried it twice in the tarball. Found by walking up from this module to the package root (dist/
 * in an install, src/cli/ in a checkout).
 */
export function readDevSet(): unknown {
  return JSON.parse(readFileSync(packageFile(DEV_SET), "utf8"));
}

function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`trainplan's installation lacks ${relative}`);
    dir = up;
  }
}
