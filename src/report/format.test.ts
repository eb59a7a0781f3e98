import { describe, expect, it } from "vitest";
import {
  assertFinite,
  formatBytes,
  formatCount,
  formatGiB,
  formatNumber,
  formatPercent,
  formatSeconds,
  formatUsd,
} from "./format.js";

const GiB = 1024 ** 3;
const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined];

describe("formatters", () => {
  it("print n/a instead of NaN or Infinity", () => {
    for (const f of [
      formatBytes,
      formatGiB,
      formatSeconds,
      formatCount,
      formatPercent,
      formatUsd,
      formatNumber,
    ]) {
      for (const x of bad) expect(f(x)).toBe("n/a");
    }
  });

  it("formats bytes in binary units", () => {
    expect(formatBytes(80 * GiB)).toBe("80.0 GiB");
    expect(formatBytes(1536 * 1024 ** 2)).toBe("1.50 GiB");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2 * 1024 ** 4)).toBe("2.00 TiB");
    expect(formatGiB(75.3 * GiB)).toBe("75.3 GiB");
  });

  it("picks a readable time unit", () => {
    expect(formatSeconds(0.0123)).toBe("12.3 ms");
    expect(formatSeconds(13.75)).toBe("13.8 s");
    expect(formatSeconds(600)).toBe("10.0 min");
    expect(formatSeconds(5 * 3600)).toBe("5.00 h");
    expect(formatSeconds(54 * 86400)).toBe("54.0 days");
    expect(formatSeconds(3 * 365.25 * 86400)).toBe("3.00 years");
  });

  it("uses decimal count suffixes", () => {
    expect(formatCount(1500)).toBe("1.50k");
    expect(formatCount(16e6)).toBe("16.0M");
    expect(formatCount(70.6e9)).toBe("70.6B");
    expect(formatCount(15e12)).toBe("15.0T");
    expect(formatCount(405e9)).toBe("405B");
    expect(formatCount(42)).toBe("42");
  });

  it("formats percent and dollars", () => {
    expect(formatPercent(0.423)).toBe("42.3%");
    expect(formatUsd(2.5)).toBe("$2.50");
    expect(formatUsd(123456)).toBe("$123,456");
    expect(formatUsd(4.2e6)).toBe("$4.20M");
    expect(formatUsd(1.5e9)).toBe("$1.50B");
    expect(formatUsd(-12)).toBe("-$12.00");
  });
});

describe("assertFinite", () => {
  it("accepts nested finite numbers, strings and nulls", () => {
    expect(() => assertFinite({ a: 1, b: [2, { c: null, d: "x" }] })).not.toThrow();
  });

  it("names the path of a NaN or Infinity deep inside", () => {
    expect(() => assertFinite({ a: { b: [1, Number.NaN] } })).toThrow("result.a.b[1] is NaN");
    expect(() => assertFinite({ t: Number.NEGATIVE_INFINITY })).toThrow("result.t is -Infinity");
  });

  it("survives cycles", () => {
    const o: Record<string, unknown> = { x: 1 };
    o.self = o;
    expect(() => assertFinite(o)).not.toThrow();
  });
});
