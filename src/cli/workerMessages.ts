/**
 * What crosses the worker-thread boundary when a search fails. A thrown error loses its class on
 * the way (structured clone keeps only name and message), so an InputError travels as its fields
 * and is rebuilt on the main thread: the CLI then still exits 2 with the one-line message.
 */
import { describeValue, InputError } from "../errors.js";

export interface WorkerFailure {
  name: string;
  message: string;
  /** Set for an InputError. */
  input?: { field: string; value: unknown; allowed: string; suggestion?: string[] };
}

/** A thrown value as a cloneable message. */
export function toWorkerFailure(e: unknown): WorkerFailure {
  if (e instanceof InputError) {
    const value = cloneable(e.value) ? e.value : describeValue(e.value);
    return {
      name: e.name,
      message: e.message,
      input: { field: e.field, value, allowed: e.allowed, suggestion: e.suggestion },
    };
  }
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

/** The error to rethrow on the main thread: an InputError again where it was one. */
export function fromWorkerFailure(f: WorkerFailure): Error {
  if (f.input) return new InputError(f.input);
  const error = new Error(f.message);
  error.name = f.name;
  return error;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
