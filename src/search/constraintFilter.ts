import {
  precisionCode,
  RECOMPUTE_CODES,
  RECOMPUTE_FULL,
  RECOMPUTE_LAYER_FORMS_FROM,
  RECOMPUTE_MODULES_FROM,
  RECOMPUTE_NONE,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  recomputeCode,
  zeroCode,
} from "../engine/codes.js";
import {
  CONSTRAINED_DIMENSIONS,
  type ConstrainedDimension,
  INTEGER_DIMENSIONS,
  type IntegerChoice,
  type IntegerDimension,
  type PlanConstraints,
} from "../plan/constraints.js";
import {
  MAX_RECOMPUTE_LAYERS,
  RECOMPUTE_LAYER_FORMS,
  type RecomputeForm,
  ZERO_STAGES,
} from "../plan/schema.js";
import type { RejectionReason } from "./types.js";

/**
 * The search's view of what the user and the software stack allow (src/plan/constraints.ts), compiled
 * once per search into plain numbers and lookup arrays, so the hot loops test a value without
 * allocating. A value both forbid is counted against the stack: the stack cannot run it whatever the
 * user asks, and the user's constraints then act on what the stack runs.
 */

/** An integer choice as bounds plus, for a list, its values. */
interface IntegerRule {
  min: number;
  max: number;
  values: readonly number[] | null;
}

/** One source's rules: null where it says nothing. Inner dimensions by their hot-path code. */
interface Rules {
  integers: Partial<Record<IntegerDimension, IntegerRule>>;
  recompute: boolean[] | null;
  zero: boolean[] | null;
  sequenceParallel: boolean[] | null;
  precision: boolean[] | null;
}

export interface SearchFilter {
  /** False when neither source constrains anything: the search then runs exactly as unconstrained. */
  active: boolean;
  user: Rules;
  stack: Rules;
  /** Recomputation codes beyond the first four that either side names word by word (the search tries them). */
  recomputeNamed: number[];
  /** Whether the stack runs Megatron's recompute modules (its forms hold "modules", or no stack is given). */
  runsRecomputeModules: boolean;
  /** The verdict on each inner code: null (allowed) or the reason it is removed. */
  recompute: (RejectionReason | null)[];
  zero: (RejectionReason | null)[];
  sequenceParallel: (RejectionReason | null)[];
  /** By precision code (0 bf16/fp16, 1 fp8). */
  precision: (RejectionReason | null)[];
}

/** The reason a constraint removed a plan, for the rejection counts. */
export function constraintReason(dimension: ConstrainedDimension): RejectionReason {
  return `outside the constraint on ${dimension}`;
}

/** The reason the software stack removed a plan (it cannot run that value). */
export function stackReason(dimension: ConstrainedDimension): RejectionReason {
  return `not run by the stack (${dimension})`;
}

function integerRule(choice: IntegerChoice | undefined): IntegerRule | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === "number") return { min: choice, max: choice, values: null };
  if (Array.isArray(choice)) {
    // A copy: compiled filters are shared (sharedFilter); a later change to the caller's list must not reach one.
    return { min: Math.min(...choice), max: Math.max(...choice), values: [...choice] };
  }
  return { min: choice.min, max: choice.max, values: null };
}

/**
 * Marks every code of the recompute layer forms a stack runs at any count, and of the modules words
 * where it runs any module list (stackCapabilities.ts).
 */
function allowForms(mask: boolean[] | null, forms: readonly RecomputeForm[]): void {
  if (!mask) return;
  for (const form of forms) {
    if (form === "modules") {
      mask.fill(true, RECOMPUTE_MODULES_FROM + 1, RECOMPUTE_CODES);
      continue;
    }
    const first = RECOMPUTE_LAYER_FORMS_FROM + RECOMPUTE_LAYER_FORMS.indexOf(form) * MAX_RECOMPUTE_LAYERS;
    mask.fill(true, first, first + MAX_RECOMPUTE_LAYERS);
  }
}

/** Which codes of a vocabulary a list allows (null when the list is not given). */
function codeMask<T>(
  allowed: readonly T[] | undefined,
  size: number,
  code: (v: T) => number,
): boolean[] | null {
  if (allowed === undefined) return null;
  const mask = new Array<boolean>(size).fill(false);
  for (const v of allowed) mask[code(v)] = true;
  return mask;
}

function compileRules(c: PlanConstraints): Rules {
  const integers: Rules["integers"] = {};
  for (const d of INTEGER_DIMENSIONS) {
    const rule = integerRule(c[d]);
    if (rule) integers[d] = rule;
  }
  return {
    integers,
    recompute: codeMask(c.recompute, RECOMPUTE_CODES, recomputeCode),
    zero: codeMask(c.zero, ZERO_STAGES.length, zeroCode),
    sequenceParallel: codeMask(c.sequenceParallel, 2, (on) => (on ? 1 : 0)),
    precision: codeMask(c.precision, 2, precisionCode),
  };
}

function isEmpty(c: PlanConstraints): boolean {
  return Object.values(c).every((v) => v === undefined);
}

/** The verdict on every code of one inner dimension. */
function verdicts(
  dimension: "recompute" | "zero" | "sequenceParallel" | "precision",
  size: number,
  user: Rules,
  stack: Rules,
): (RejectionReason | null)[] {
  return Array.from({ length: size }, (_, code) => {
    if (stack[dimension] && !stack[dimension][code]) return stackReason(dimension);
    if (user[dimension] && !user[dimension][code]) return constraintReason(dimension);
    return null;
  });
}

/** The codes beyond offload that a rule's list names. */
function namedBeyondOffload(rules: Rules): number[] {
  const out: number[] = [];
  rules.recompute?.forEach((on, code) => {
    if (on && code > RECOMPUTE_OFFLOAD) out.push(code);
  });
  return out;
}

export function compileFilter(
  user: PlanConstraints = {},
  stack: PlanConstraints = {},
  stackForms: readonly RecomputeForm[] | null = [],
): SearchFilter {
  const u = compileRules(user);
  const s = compileRules(stack);
  const recomputeNamed = [...new Set([...namedBeyondOffload(s), ...namedBeyondOffload(u)])].sort(
    (a, b) => a - b,
  );
  allowForms(s.recompute, stackForms ?? []);
  return {
    active: !isEmpty(user) || !isEmpty(stack),
    user: u,
    stack: s,
    recomputeNamed,
    runsRecomputeModules: stackForms === null || stackForms.includes("modules"),
    recompute: verdicts("recompute", RECOMPUTE_CODES, u, s),
    zero: verdicts("zero", ZERO_STAGES.length, u, s),
    sequenceParallel: verdicts("sequenceParallel", 2, u, s),
    precision: verdicts("precision", 2, u, s),
  };
}

/**
 * Filters compiled recently, by their inputs' content (filterKey): compiling one builds a verdict per
 * recompute code (thousands), about 0.6 ms, and a comparison runs hundreds of searches under the same
 * constraints and stack. A filter is read-only once compiled, so searches can share it.
 */
const compiled = new Map<string, SearchFilter>();
const COMPILED_KEPT = 64;

/**
 * A key that two inputs share only when compileFilter reads the same from both: numbers, strings
 * and undefined are tagged, so NaN, -0, a missing value and a string of digits stay apart.
 */
function filterKey(inputs: unknown[]): string {
  return JSON.stringify(inputs, (_key, v) => {
    if (typeof v === "number") return Object.is(v, -0) ? "n-0" : `n${v}`;
    if (typeof v === "string") return `s${v}`;
    return v === undefined ? "u" : v;
  });
}

/** compileFilter's filter, shared with earlier searches that gave the same inputs. */
export function sharedFilter(
  user: PlanConstraints | undefined,
  stack: PlanConstraints | undefined,
  stackForms: readonly RecomputeForm[] | null | undefined,
): SearchFilter {
  const key = filterKey([user, stack, stackForms]);
  const known = compiled.get(key);
  if (known !== undefined) return known;
  const filter = compileFilter(user, stack, stackForms === undefined ? [] : stackForms);
  if (compiled.size >= COMPILED_KEPT) compiled.clear();
  compiled.set(key, filter);
  return filter;
}

/**
 * The recomputations a search tries, in loop order: none, selective and full, offloading where the chip
 * has a coherent host link, Megatron's output-discarding recompute modules that act on the model
 * (`modulesCandidate`, recompute.ts modulesCandidateCode) where the stack runs module lists, then every
 * other one the stack or the user names (torchtitan's per-operator and layer-level checkpointing, a
 * Megatron block or uniform count asked for). The filter's verdicts then remove what either side forbids.
 */
export function recomputeCodesToTry(f: SearchFilter, hostLink: boolean, modulesCandidate = -1): number[] {
  const codes = [RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL];
  if (hostLink) codes.push(RECOMPUTE_OFFLOAD);
  const stackRunsIt = modulesCandidate >= 0 && f.runsRecomputeModules;
  const named = stackRunsIt ? [...f.recomputeNamed, modulesCandidate] : f.recomputeNamed;
  codes.push(...[...new Set(named)].sort((a, b) => a - b));
  return codes;
}

function allows(rule: IntegerRule | undefined, v: number): boolean {
  if (rule === undefined) return true;
  if (v < rule.min || v > rule.max) return false;
  return rule.values === null || rule.values.includes(v);
}

/** Null when `v` is allowed for `dimension`, else the reason it is removed (no allocation). */
export function integerVerdict(
  f: SearchFilter,
  dimension: IntegerDimension,
  v: number,
): RejectionReason | null {
  if (!f.active) return null;
  if (!allows(f.stack.integers[dimension], v)) return STACK_REASONS[dimension];
  if (!allows(f.user.integers[dimension], v)) return CONSTRAINT_REASONS[dimension];
  return null;
}

const STACK_REASONS = Object.fromEntries(INTEGER_DIMENSIONS.map((d) => [d, stackReason(d)])) as Record<
  IntegerDimension,
  RejectionReason
>;
const CONSTRAINT_REASONS = Object.fromEntries(
  INTEGER_DIMENSIONS.map((d) => [d, constraintReason(d)]),
) as Record<IntegerDimension, RejectionReason>;

const CONSTRAINT_REMOVALS = new Set<RejectionReason>(CONSTRAINED_DIMENSIONS.map(constraintReason));
const STACK_REMOVALS = new Set<RejectionReason>(CONSTRAINED_DIMENSIONS.map(stackReason));

/** Who removed plans for a rejection reason: the user's constraints, the stack, or neither (a search rule). */
export function removedByWhom(reason: RejectionReason): "constraints" | "stack" | null {
  if (CONSTRAINT_REMOVALS.has(reason)) return "constraints";
  return STACK_REMOVALS.has(reason) ? "stack" : null;
}
