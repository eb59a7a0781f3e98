import { notImplemented } from "../placeholder.js";

/** Placeholder: replaced by the real command. */
export const command = notImplemented(
  "simulate",
  "predict memory, step time and throughput for one scenario",
);
