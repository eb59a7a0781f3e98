import { notImplemented } from "../placeholder.js";

/** Placeholder: replaced by the real command. */
export const command = notImplemented("validate", "compare predictions with published measurements");
