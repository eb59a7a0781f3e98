import { readFileSync } from "node:fs";
import { shippedProfiles } from "../../src/hardware/profiles.js";
import { calibrate, toProfileFile } from "../../src/validation/calibrate.js";
import { loadCases } from "../../src/validation/cases.js";
import { validateCases } from "../../src/validation/validate.js";

const raw = JSON.parse(readFileSync("data/validation/dev.json", "utf8"));
const { cases } = loadCases(raw);
const t0 = Date.now();
const r = calibrate(cases, { prior: shippedProfiles.default });
console.log("fit seconds", (Date.now() - t0) / 1000, "loss", r.loss);
const pf = toProfileFile(r, [], "dev", "quick");
const rep = validateCases(cases, { profiles: pf });
for (const c of [...rep.cases].sort((a, b) => a.errorPct - b.errorPct))
  console.log(c.errorPct.toFixed(1).padStart(7), c.id);
console.log(JSON.stringify(rep.summary, null, 0));
console.log(JSON.stringify(r.profiles, null, 1));
