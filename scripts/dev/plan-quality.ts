/**
 * How the published plan of each dev-set case ranks among the plans the search times: gain of the
 * best plan over it (%), its rank / plans searched, whether it fits, and the best plan. docs/plan.md
 * ("How the published plans rank") describes it; about 4 s.
 * Usage: npx tsx scripts/dev/plan-quality.ts
 */
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
