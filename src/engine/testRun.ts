// The run most engine tests share: Llama 3 70B on H100, prepared with the shipped profile.
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { prepare } from "./prepare.js";

export const chip = findChip("h100-sxm")!;
export const model = findModelPreset("llama3-70b")!.model;
export const prep = prepare(workloadOperators(model), rankHardware(chip), profileForChip(chip).profile);
