import type { z } from "zod";
import chipData from "../../data/chips.json" with { type: "json" };
import instanceData from "../../data/instances.json" with { type: "json" };
import { InputError, inputErrorFromZod } from "../errors.js";
import {
  type Chip,
  ChipCatalogSchema,
  type ChipOverrides,
  ChipSchema,
  type Instance,
  InstanceCatalogSchema,
} from "./schema.js";
import { topologyIssue } from "./topology.js";

/** Lower-case, and treat runs of spaces, underscores and hyphens alike ("H100 SXM5" = "h100-sxm5"). */
export function normalizeChipName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "-");
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

/** Bad catalog data is a developer error: fail at module load, naming the file and the field. */
function parseOrThrow<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new Error(`${file} is invalid: ${describeIssues(result.error)}`);
  return result.data;
}

function buildIndex(list: readonly Chip[]): Map<string, Chip> {
  const index = new Map<string, Chip>();
  for (const chip of list) {
    for (const name of [chip.id, ...chip.aliases]) {
      const key = normalizeChipName(name);
      const other = index.get(key);
      if (other && other !== chip) {
        throw new Error(
          `data/chips.json: name "${name}" of chip "${chip.id}" is already used by "${other.id}"`,
        );
      }
      index.set(key, chip);
    }
  }
  return index;
}

function checkInstances(list: readonly Instance[], index: Map<string, Chip>): void {
  const seen = new Set<string>();
  for (const instance of list) {
    if (seen.has(instance.id)) throw new Error(`data/instances.json: duplicate instance id "${instance.id}"`);
    seen.add(instance.id);
    if (!index.has(normalizeChipName(instance.chipId))) {
      throw new Error(
        `data/instances.json: instance "${instance.id}" names unknown chipId "${instance.chipId}"`,
      );
    }
  }
}

function checkTopologies(list: readonly Chip[]): void {
  for (const chip of list) {
    const issue = topologyIssue(chip);
    if (issue) throw new Error(`data/chips.json: chip "${chip.id}": ${issue}`);
  }
}

export const chips: readonly Chip[] = Object.freeze(
  parseOrThrow(ChipCatalogSchema, chipData, "data/chips.json"),
);
checkTopologies(chips);
export const instances: readonly Instance[] = Object.freeze(
  parseOrThrow(InstanceCatalogSchema, instanceData, "data/instances.json"),
);
const chipIndex = buildIndex(chips);
checkInstances(instances, chipIndex);

/** The chip whose id or alias matches, ignoring case and space/underscore/hyphen differences. */
export function findChip(idOrAlias: string): Chip | undefined {
  return chipIndex.get(normalizeChipName(idOrAlias));
}

export function chipIds(): string[] {
  return chips.map((chip) => chip.id);
}

/** Every name a user may type for a chip (ids and aliases), for "did you mean" suggestions. */
export function chipNames(): string[] {
  return chips.flatMap((chip) => [chip.id, ...chip.aliases]);
}

export function instancesForChip(chipId: string): Instance[] {
  const chip = findChip(chipId);
  if (!chip) return [];
  return instances.filter((instance) => instance.chipId === chip.id);
}

const NESTED = ["peakTflops", "scaleUp", "scaleOut"] as const;

function overriddenPaths(overrides: ChipOverrides): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if ((NESTED as readonly string[]).includes(key) && value !== null && typeof value === "object") {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (innerValue !== undefined) paths.push(`${key}.${inner}=${JSON.stringify(innerValue)}`);
      }
    } else {
      paths.push(`${key}=${JSON.stringify(value)}`);
    }
  }
  return paths;
}

/**
 * A copy of `chip` with the user's figures in place, re-validated against ChipSchema. The notes say
 * which figures are user overrides, so a report never passes them off as catalog data.
 * Throws an InputError naming the chip, the field and the rule when an override is invalid (the
 * library's caller gave it: bad input, not a bug).
 */
export function withOverrides(chip: Chip, overrides: ChipOverrides): Chip {
  const merged: Record<string, unknown> = { ...chip, ...overrides, id: chip.id };
  for (const key of NESTED) merged[key] = { ...chip[key], ...(overrides[key] ?? {}) };
  const paths = overriddenPaths(overrides);
  if (paths.length > 0) {
    const note = `User override (not catalog data): ${paths.join(", ")}.`;
    merged.notes = chip.notes ? `${chip.notes} ${note}` : note;
  }
  const result = ChipSchema.safeParse(merged);
  if (!result.success) {
    throw inputErrorFromZod(result.error, merged, `overrides for chip "${chip.id}"`, ChipSchema);
  }
  const issue = topologyIssue(result.data);
  if (issue) {
    throw new InputError({
      field: `overrides for chip "${chip.id}": scaleUp`,
      value: `domainChips ${result.data.scaleUp.domainChips} on a torus`,
      allowed: issue,
    });
  }
  return result.data;
}
