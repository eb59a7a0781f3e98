import { notImplemented } from "../placeholder.js";

/** Placeholder: replaced by the real command. */
export const command = notImplemented("plan", "search parallel plans and rank the best ones");
