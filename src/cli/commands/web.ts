import { notImplemented } from "../placeholder.js";

/** Placeholder: replaced by the real command. */
export const command = notImplemented("web", "serve the web app locally");
