import { type Assumption, economics } from "./assumptions.js";
import { CostInputError, requireNonNegative } from "./errors.js";

export interface CarbonInput {
  kWh: number;
  /** AWS region id with a stored grid intensity (see data/economics.json gridIntensity). */
  region?: string;
  /** User grid intensity, gCO2e/kWh; wins over `region`. */
  gCO2PerKWh?: number;
}

export interface CarbonResult {
  tCO2e: number;
  gCO2PerKWh: number;
  region: string | null;
  source: Assumption["source"] | null;
  assumptions: string[];
}

/** Regions with a stored grid intensity. */
export function carbonRegions(): string[] {
  return Object.keys(economics.gridIntensity).sort();
}

/** Location-based emissions: tCO2e = kWh × gCO2e/kWh / 1e6. */
export function carbon(input: CarbonInput): CarbonResult {
  const kWh = requireNonNegative("kWh", input.kWh);
  if (input.gCO2PerKWh !== undefined) {
    const g = requireNonNegative("gCO2PerKWh", input.gCO2PerKWh);
    return {
      tCO2e: (kWh * g) / 1e6,
      gCO2PerKWh: g,
      region: input.region ?? null,
      source: null,
      assumptions: [`grid intensity ${g} gCO2e/kWh (user)`],
    };
  }
  if (input.region === undefined) {
    throw new CostInputError("region", undefined, `one of ${carbonRegions().join(", ")}, or pass gCO2PerKWh`);
  }
  const entry = economics.gridIntensity[input.region];
  if (!entry) {
    throw new CostInputError(
      "region",
      input.region,
      `one of ${carbonRegions().join(", ")}, or pass gCO2PerKWh`,
    );
  }
  const tag = entry.assumption ? "assumption" : "sourced";
  return {
    tCO2e: (kWh * entry.value) / 1e6,
    gCO2PerKWh: entry.value,
    region: input.region,
    source: entry.source,
    assumptions: [`grid ${input.region} ${entry.value} gCO2e/kWh (${tag}; ${entry.source.title})`],
  };
}
