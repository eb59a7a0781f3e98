import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostAllowed, isLoopback, type StaticServer, startStaticServer } from "./web.js";

/** GET / with a given Host header: status and headers. */
function get(url: string, host?: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const req = request(
      { hostname: u.hostname, port: u.port, path: "/", headers: host ? { Host: host } : {} },
      (res) => {
        res.resume();
        res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

describe("trainplan web's server", () => {
  let server: StaticServer;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), "trainplan-web-"));
    writeFileSync(join(root, "index.html"), "<!doctype html><title>t</title>");
    server = await startStaticServer(root, 0, "127.0.0.1");
  });
  afterAll(() => server.close());

  it("sends a Content-Security-Policy and X-Frame-Options: DENY", async () => {
    const r = await get(server.url);
    expect(r.status).toBe(200);
    expect(r.headers["content-security-policy"]).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(r.headers["x-frame-options"]).toBe("DENY");
  });

  it("refuses a request for another host name (DNS rebinding) and serves localhost and IPs", async () => {
    expect((await get(server.url, "evil.example:8737")).status).toBe(421);
    expect((await get(server.url, "localhost:8737")).status).toBe(200);
    expect(hostAllowed("[::1]:8737", "127.0.0.1")).toBe(true);
    expect(hostAllowed(undefined, "127.0.0.1")).toBe(false);
    expect(hostAllowed("planner.lan", "planner.lan")).toBe(true);
  });

  it("tells loopback from addresses other machines reach (the warning's test)", () => {
    for (const h of ["127.0.0.1", "localhost", "::1"]) expect(isLoopback(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.5"]) expect(isLoopback(h)).toBe(false);
  });
});
