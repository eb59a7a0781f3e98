import validationSet from "../../data/validation/dev.json" with { type: "json" };
import { loadCases } from "../../src/validation/cases.js";
import { planQuality } from "../../src/validation/planQuality.js";

const { cases } = loadCases(validationSet);
for (const c of cases) {
  const q = planQuality(c);
  console.log(
    q.gainPct.toFixed(1).padStart(7),
    String(q.publishedRank).padStart(6),
    "/",
    String(q.searched).padEnd(7),
    q.publishedFits ? "fits" : "NOFIT",
    q.id,
    "|",
    q.bestPlan,
  );
}
