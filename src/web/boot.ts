/**
 * The page's entry: starts the engine workers first (engineWorkers.ts), then loads the page itself,
 * whose bundle (controls, views, the schemas the form checks with) takes a few hundred milliseconds
 * to arrive and run on a fresh page. The two then load side by side.
 */
import { engineWorkers } from "./engineWorkers.js";

engineWorkers();
void import("./main.js").then((page) => page.init());
