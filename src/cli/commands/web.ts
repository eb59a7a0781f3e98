import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { type AddressInfo, isIP } from "node:net";
import { hostname } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../errors.js";
import { parseCommandArgs } from "../args.js";
import type { CliIO, Command } from "../types.js";

const USAGE = `Usage: trainplan web [--port N] [--host H] [--no-open]

Serves the interactive planner (the prebuilt static app in dist/web) and prints its URL.
The engine runs in your browser; the server only sends files.

Options:
  --port N     port to listen on (default 8737; 0 picks a free one)
  --host H     address to bind (default 127.0.0.1; use 0.0.0.0 to share on your network)
  --no-open    do not open a browser (one is opened only when stdout is a terminal)
  -h, --help   show this help`;

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * Where the built app lives: beside the bundled CLI (dist/cli.js -> dist/web), or, when run from
 * source, in the package root's dist/web (found by walking up to package.json).
 */
export function findWebRoot(from = dirname(fileURLToPath(import.meta.url))): string | null {
  const bundled = join(from, "web");
  if (existsSync(join(bundled, "index.html"))) return bundled;
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) {
      const built = join(dir, "dist", "web");
      return existsSync(join(built, "index.html")) ? built : null;
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The file under `root` that `urlPath` names, or null when it would escape root. */
function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const rootAbs = resolve(root);
  const file = resolve(rootAbs, `.${decoded.startsWith("/") ? decoded : `/${decoded}`}`);
  if (file !== rootAbs && !file.startsWith(rootAbs + sep)) return null;
  return file;
}

export interface StaticServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * What the page may load: only its own files. Vega compiles chart expressions with the Function
 * constructor, hence 'unsafe-eval' for scripts; its SVG carries style attributes, hence inline styles.
 * No frames may hold the page (clickjacking), with X-Frame-Options for older browsers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

/** Whether an address is loopback: only this machine can reach a server bound there. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/**
 * The Host header a request may carry: an IP address, localhost, the bound host or this machine's
 * name. Any other name is refused: a page on another site whose DNS name was rebound to this address
 * (DNS rebinding) sends its own name and must not read the app through the visitor's browser.
 */
export function hostAllowed(header: string | undefined, boundHost: string): boolean {
  if (header === undefined) return false;
  // "[::1]:8737" (an IPv6 literal in brackets) or "name:8737".
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(header);
  const name = (bracketed ? bracketed[1] : header.replace(/:\d+$/, "")).toLowerCase();
  if (isIP(name) !== 0) return true;
  return ["localhost", boundHost.toLowerCase(), hostname().toLowerCase()].includes(name);
}

/**
 * A static file server for `root` (GET/HEAD only, no directory listings, no traversal), sending the
 * security headers above and refusing requests whose Host it does not serve.
 */
export async function startStaticServer(root: string, port = 0, host = "127.0.0.1"): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    if (!hostAllowed(req.headers.host, host)) {
      res.writeHead(421, { "Content-Type": "text/plain", ...SECURITY_HEADERS }).end("unknown host\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let file = resolveStaticPath(root, req.url ?? "/");
    if (!file) {
      res.writeHead(403, { "Content-Type": "text/plain" }).end("forbidden\n");
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-cache",
        ...SECURITY_HEADERS,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8737;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InputError({
      field: "option --port of web",
      value: text,
      allowed: "an integer from 0 to 65535",
    });
  }
  return n;
}

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens (RFC 1123). */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** --host: an IPv4/IPv6 address or a host name; "" would print the URL http://:8737/. */
export function parseHost(text: string | undefined): string {
  if (text === undefined) return "127.0.0.1";
  const host = text.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host) !== 0 || HOST_NAME.test(host)) return host;
  throw new InputError({
    field: "option --host of web",
    value: text,
    allowed: "an IP address (127.0.0.1, 0.0.0.0, ::1) or a host name such as localhost",
  });
}

/** Opens `url` in the desktop browser; failures are ignored (the URL is printed anyway). */
function openBrowser(url: string): void {
  const opener =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // no browser: the printed URL is enough
  }
}

export const command: Command = {
  name: "web",
  summary: "serve the interactive planner in your browser",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs("web", args, {
      port: { type: "string" },
      host: { type: "string" },
      "no-open": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const port = parsePort(values.port as string | undefined);
    const host = parseHost(values.host as string | undefined);
    const root = findWebRoot();
    if (!root) {
      io.stderr.write(
        "trainplan web: the web app is not built (no dist/web/index.html); run `npm run build`\n",
      );
      return 1;
    }
    let server: StaticServer;
    try {
      server = await startStaticServer(root, port, host);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === "EADDRINUSE" ? `port ${port} is in use (try --port 0)` : (e as Error).message;
      io.stderr.write(`trainplan web: cannot listen on ${host}:${port}: ${why}\n`);
      return 1;
    }
    io.stdout.write(`trainplan web: serving ${root}\n  ${server.url}\nPress Ctrl+C to stop.\n`);
    if (!isLoopback(host)) {
      io.stderr.write(
        `warning: bound to ${host}, not loopback: other machines on your network can reach this server (it serves only the app's files; open it by IP address, localhost or ${hostname()})\n`,
      );
    }
    if (io.isTTY && !values["no-open"]) openBrowser(server.url);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        server.close().then(done);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return 0;
  },
};
