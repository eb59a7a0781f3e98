import type { Chip } from "../hardware/schema.js";
import { type DefaultKey, defaultValue, describeDefault } from "./assumptions.js";
import { requireNonNegative, requirePositive, requirePositiveInt, requireRange } from "./errors.js";

export interface EnergyInput {
  chip: Pick<Chip, "id" | "tdpW" | "tdpAssumed">;
  chips: number;
  /** Wall-clock hours the chips are held (time-to-train days × 24). */
  hours: number;
  /** Model FLOPs utilisation, 0..1. */
  mfu: number;
  idlePowerFraction?: number;
  mfuAtFullPower?: number;
  hostOverheadFraction?: number;
  pue?: number;
}

export interface EnergyResult {
  /** Activity u in [0, 1] derived from MFU. */
  utilisation: number;
  chipWatts: number;
  hostWattsPerChip: number;
  /** IT power of the whole job (chips + hosts), W. */
  itWatts: number;
  /** Facility power including cooling and distribution (IT × PUE), W. */
  facilityWatts: number;
  kWh: number;
  MWh: number;
  pue: number;
  /** True when the chip's TDP is not published by its vendor (Trainium). */
  tdpAssumed: boolean;
  assumptions: string[];
}

function pick(key: DefaultKey, given: number | undefined, assumptions: string[]): number {
  if (given !== undefined) {
    assumptions.push(`${key} = ${given} (user)`);
    return given;
  }
  assumptions.push(describeDefault(key));
  return defaultValue(key);
}

/**
 * Energy of a run. Chip power P = Pidle + (TDP − Pidle)·u with Pidle = idleFraction·TDP and
 * u = min(1, MFU / mfuAtFullPower): power above idle tracks tensor-engine activity. Host, NIC and
 * switch power per chip = hostOverheadFraction·TDP (constant). Facility = IT × PUE.
 */
export function energy(input: EnergyInput): EnergyResult {
  const assumptions: string[] = [];
  const tdp = requirePositive("tdpW", input.chip.tdpW);
  const chips = requirePositiveInt("chips", input.chips);
  const hours = requireNonNegative("hours", input.hours);
  const mfu = requireRange("mfu", input.mfu, 0, 1);
  const idle = requireRange(
    "idlePowerFraction",
    pick("idlePowerFraction", input.idlePowerFraction, assumptions),
    0,
    1,
  );
  const full = requireRange(
    "mfuAtFullPower",
    pick("mfuAtFullPower", input.mfuAtFullPower, assumptions),
    1e-9,
    1,
  );
  const host = requireNonNegative(
    "hostOverheadFraction",
    pick("hostOverheadFraction", input.hostOverheadFraction, assumptions),
  );
  const pue = requireRange("pue", pick("pue", input.pue, assumptions), 1, 10);
  const tdpAssumed = input.chip.tdpAssumed ?? false;
  if (tdpAssumed)
    assumptions.push(`${input.chip.id} TDP ${tdp} W is an assumption (vendor does not publish it)`);

  const utilisation = Math.min(1, mfu / full);
  const chipWatts = idle * tdp + (tdp - idle * tdp) * utilisation;
  const hostWattsPerChip = host * tdp;
  const itWatts = chips * (chipWatts + hostWattsPerChip);
  const facilityWatts = itWatts * pue;
  const kWh = (facilityWatts * hours) / 1000;
  return {
    utilisation,
    chipWatts,
    hostWattsPerChip,
    itWatts,
    facilityWatts,
    kWh,
    MWh: kWh / 1000,
    pue,
    tdpAssumed,
    assumptions,
  };
}
