import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { runCaptured } from "./captured.js";
import { checkDistinctOutputs, writeFileSafely } from "./safeWrite.js";

const fresh = () => mkdtempSync(join(tmpdir(), "trainplan-write-"));

describe("writeFileSafely", () => {
  it("writes a new file and replaces a regular one, leaving no temporary file", async () => {
    const dir = fresh();
    const path = join(dir, "a.svg");
    expect(await writeFileSafely(path, "one", "--chart")).toBe(3);
    expect(await writeFileSafely(path, "two!", "--chart")).toBe(4);
    expect(readFileSync(path, "utf8")).toBe("two!");
    expect(readdirSync(dir)).toEqual(["a.svg"]);
  });

  it("refuses a symbolic link instead of overwriting what it points to", async () => {
    const dir = fresh();
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "keep me");
    const link = join(dir, "chart.svg");
    symlinkSync(victim, link);
    await expect(writeFileSafely(link, "<svg/>", "--chart")).rejects.toThrow(/not a symbolic link/);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
  });

  it("refuses a directory as the target", async () => {
    const dir = fresh();
    mkdirSync(join(dir, "x.svg"));
    await expect(writeFileSafely(join(dir, "x.svg"), "<svg/>", "--chart")).rejects.toThrow(
      /this is a directory/,
    );
  });

  it("refuses the same path given twice", () => {
    expect(() => checkDistinctOutputs({ "--chart": "a.svg", "--breakdown-chart": "./a.svg" })).toThrow(
      InputError,
    );
    expect(() => checkDistinctOutputs({ "--chart": "a.svg", "--breakdown-chart": "b.svg" })).not.toThrow();
  });
});

describe("commands that write files", () => {
  it("compare refuses --chart and --breakdown-chart naming one file, before searching", async () => {
    const path = join(fresh(), "same.svg");
    const r = await runCaptured([
      ...["compare", "--model", "llama3-8b", "--tokens", "1T", "--chip", "h100"],
      ...["--chart", path, "--breakdown-chart", path],
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: Invalid --breakdown-chart: got .*same\.svg"\. A different path from --chart/,
    );
  });

  it("compare says what it wrote, on stderr so --json stays JSON", async () => {
    const path = join(fresh(), "frontier.svg");
    const r = await runCaptured([
      ...["compare", "--model", "llama3-8b", "--tokens", "1T", "--chip", "h100", "--chips", "64"],
      ...["--chart", path, "--json"],
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows.length).toBe(1);
    expect(r.stderr).toMatch(/^wrote chart .*frontier\.svg \([\d,]+ bytes\)\n$/);
    expect(readFileSync(path, "utf8")).toMatch(/^<svg/);
  });

  it("plain calibrate outside a trainplan checkout asks for --out instead of writing ./data/profiles.json", async () => {
    const dir = fresh();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCaptured(["calibrate"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^error: Invalid --out: got nothing .*does not write \.\/data\/profiles\.json/,
      );
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("calibrate refuses --out as the file it reads", async () => {
    const path = join(fresh(), "cases.json");
    writeFileSync(path, "[]");
    const r = await runCaptured(["calibrate", path, "--out", path]);
    expect(r.code).toBe(2);
    expect(readFileSync(path, "utf8")).toBe("[]");
  });
});
