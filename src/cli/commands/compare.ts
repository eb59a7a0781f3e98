import { notImplemented } from "../placeholder.js";

/** Placeholder: replaced by the real command. */
export const command = notImplemented("compare", "compare chips side by side for one workload");
