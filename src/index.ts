/**
 * trainplan library API: schemas, catalogs, presets, parsing and report helpers.
 * Pure: nothing here reads files or prints (the CLI in src/cli does that).
 */

export {
  type BreakEven,
  type BreakEvenOutcome,
  type BreakEvenPair,
  breakEven,
  breakEvensFromRows,
  type ThroughputBand,
} from "./compare/breakEven.js";
export { capacityForBudget } from "./compare/capacityForBudget.js";
export { compareChips } from "./compare/compareChips.js";
export { runEconomics } from "./compare/economics.js";
export {
  type ClaimVersusModel,
  claimsVersusModel,
  type VendorClaim,
  vendorClaims,
} from "./compare/vendorClaims.js";
export { type PriceListing, priceListing } from "./cost/pricing.js";
// A chosen plan as a framework's own arguments or config, and a Megatron-LM command line read back.
export { emitInputOf, emitPlan } from "./emit/emit.js";
export { type ParsedMegatron, parseMegatronArgs } from "./emit/parseMegatron.js";
export { EMIT_TARGETS, type EmitInput, type EmitTarget, type Emitted } from "./emit/types.js";
// The engine: simulate one run, search plans, compare chips, plan capacity, validate.
export {
  evaluatePlan,
  type ResolvedRun,
  resolveRun,
  type SimulationInput,
  type SimulationResult,
  simulate,
} from "./engine/simulate.js";
export * from "./errors.js";
export { chipIds, chips, findChip, instances, instancesForChip } from "./hardware/catalog.js";
export type { Profile, ProfileFile } from "./hardware/profile.js";
export { profileForChip, shippedProfiles } from "./hardware/profiles.js";
export * from "./hardware/schema.js";
export * from "./plan/constraints.js";
export {
  CONSTRAINT_TEXT_FORMS,
  type ConstraintTexts,
  constraintText,
  constraintTexts,
  parseConstraintTexts,
  TEXT_DIMENSIONS,
  type TextDimension,
} from "./plan/constraintText.js";
export {
  checkLimit,
  describeLimit,
  INPUT_LIMITS,
  type Limit,
  type LimitKey,
  MAX_CHIPS,
  withinLimit,
} from "./plan/inputLimits.js";
export { defaultSeqLen, RUN_DEFAULTS, workloadDefaults } from "./plan/runDefaults.js";
export * from "./plan/schema.js";
export * from "./plan/spelling.js";
export {
  DEFAULT_TRAINIUM_FRAMEWORK,
  intersectConstraints,
  STACK_CAPABILITIES,
  type StackCapabilities,
  stackConstraints,
  stackFor,
} from "./plan/stackCapabilities.js";
export * from "./report/format.js";
export { planLabel } from "./report/planLabel.js";
export * from "./report/table.js";
export { scenarioToInput } from "./scenario/fromScenario.js";
export { SCENARIO_SCHEMA_URL, scenarioJsonSchema } from "./scenario/jsonSchema.js";
export { type ModelReading, modelFromValue } from "./scenario/modelValue.js";
export * from "./scenario/parse.js";
export { type PlanScenarioOptions, planScenario, searchRequestOf } from "./scenario/planScenario.js";
export { parseScenarioText } from "./scenario/readText.js";
export { suggestChipIds } from "./scenario/resolveNames.js";
export * from "./scenario/schema.js";
export { type SearchScenario, searchScenario } from "./scenario/searchScenario.js";
export { type ScenarioOptions, simulateResolved, simulateScenario } from "./scenario/simulateScenario.js";
export { type SimulationInputOptions, simulationInputOf } from "./scenario/simulationInput.js";
export { withSourceInference } from "./scenario/softwareStack.js";
export type { PlanMetrics } from "./search/allPlans.js";
export { searchPlans, simulatePlan, smallestFittingChips } from "./search/searchPlans.js";
export type { PlanSearchRequest, PlanSearchResult, SearchStack } from "./search/types.js";
export * from "./util/units.js";
export { calibrate } from "./validation/calibrate.js";
export { loadCases } from "./validation/cases.js";
export { type ValidationReport, validateCases } from "./validation/validate.js";
export { hardwareFlopsPerToken, modelFlopsPerToken } from "./workload/flops.js";
export {
  type HuggingFaceImport,
  isHuggingFaceConfig,
  modelFromHuggingFace,
} from "./workload/huggingFace.js";
export { countParameters } from "./workload/parameters.js";
export * from "./workload/presets.js";
export * from "./workload/schema.js";
