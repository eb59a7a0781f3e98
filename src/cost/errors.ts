import { InputError } from "../errors.js";

/**
 * Bad input to the economics functions: the project's InputError (field, value, allowed), with a
 * positional constructor so the many checks in src/cost stay one line each.
 */
export class CostInputError extends InputError {
  constructor(field: string, value: unknown, allowed: string) {
    super({ field, value, allowed });
    this.name = "CostInputError";
  }
}

/** Finite number > 0. */
export function requirePositive(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new CostInputError(field, value, "a finite number > 0");
  }
  return value;
}

/** Finite number >= 0. */
export function requireNonNegative(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new CostInputError(field, value, "a finite number >= 0");
  }
  return value;
}

/** Finite number in [min, max]. */
export function requireRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new CostInputError(field, value, `a number from ${min} to ${max}`);
  }
  return value;
}

/** Whole number >= 1. */
export function requirePositiveInt(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new CostInputError(field, value, "a whole number >= 1");
  }
  return value;
}
