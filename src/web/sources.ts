/**
 * Where every figure on the page comes from: the Sources panel (prices in use, the energy and
 * reliability defaults, each chip's sources) and the source text a chip shows on hover.
 */

import { DEFAULT_CARBON_REGION } from "../compare/economics.js";
import { economics } from "../cost/assumptions.js";
import { priceListing } from "../cost/pricing.js";
import { chips as catalogChips, instances as catalogInstances } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { $, el } from "./dom.js";
import { store } from "./store.js";

/** A chip's sources, one a line, for a title attribute. */
export function chipSourceText(chip: Chip): string {
  return chip.sources
    .map(
      (s) => `${s.what ? `${s.what}: ` : ""}${s.title} (${s.url}${s.dateSeen ? `, seen ${s.dateSeen}` : ""})`,
    )
    .join("\n");
}

/** The region whose grid intensity applies: the chosen one where it has a figure, else the default. */
export function carbonRegion(region: string): string {
  return Object.hasOwn(economics.gridIntensity, region) ? region : DEFAULT_CARBON_REGION;
}

export function renderSources(): void {
  $("sources-body").replaceChildren(
    el("h3", {}, "Prices in use"),
    priceList(),
    el("h3", {}, "Energy and reliability defaults"),
    defaultsList(),
    el("h3", {}, "Chips"),
    chipList(),
  );
}

const link = (href: string, text: string) => el("a", { href, rel: "noreferrer" }, text);

/** Each compared chip's price: the user's, or the catalog's with its source; then the quoted and missing ones. */
function priceList(): HTMLUListElement {
  const priced = store.rows.filter((r) => r.price.source || r.price.from === "override");
  return el(
    "ul",
    {},
    ...otherPriceItems(store.rows.map((r) => r.chip)),
    ...priced.map((r) =>
      r.price.from === "override"
        ? el("li", {}, `${r.chip}: $${r.price.usdPerChipHour}/chip-hour — your override`)
        : el(
            "li",
            {},
            `${r.chip}: ${r.price.text} — `,
            link(r.price.source?.url ?? "#", r.price.source?.title ?? ""),
          ),
    ),
  );
}

/** Chips with no public price (say how to give one) and prices only a third party quotes (shown, not used). */
function otherPriceItems(chipIds: readonly string[]): HTMLLIElement[] {
  const hint = "enter yours under Your prices ($/chip-hour)";
  return chipIds.flatMap((id) => {
    const l = priceListing(id, catalogInstances);
    if (l.status === "no-public-price") return [el("li", {}, `${id}: no public price — ${hint}`)];
    return l.options
      .filter((o) => o.standing === "quoted" && o.current)
      .map((o) =>
        el(
          "li",
          {},
          `${id}: $${o.usdPerInstanceHour}/h ${o.instanceId} ${o.region}, quoted by a third party (not used; ${hint} to use it) — ${o.source.title}, seen ${o.source.dateSeen ?? "not recorded"}`,
        ),
      );
  });
}

type Assumption = { value: number; unit: string; source: { title: string; url: string } };

/** The defaults a blank field stands for (PUE, restart time, the region's grid), with their sources. */
function defaultsList(): HTMLUListElement {
  const region = carbonRegion(store.state.region);
  const defaults: [string, Assumption | undefined][] = [
    ["PUE", economics.defaults.pue],
    ["Restart after a failure", economics.defaults.restartSeconds],
    [`Grid intensity, ${region}`, economics.gridIntensity[region]],
  ];
  return el(
    "ul",
    {},
    ...defaults.flatMap(([name, a]) =>
      a
        ? [
            el(
              "li",
              {},
              `${name}: ${a.value} ${a.unit} (default; yours wins when set) — `,
              link(a.source.url, a.source.title),
            ),
          ]
        : [],
    ),
  );
}

/** Every catalog chip with its notes and sources. */
function chipList(): HTMLUListElement {
  const list = el("ul");
  for (const chip of catalogChips) {
    const items = chip.sources.map((s) =>
      el(
        "li",
        {},
        `${s.what ? `${s.what}: ` : ""}`,
        link(s.url, s.title),
        s.dateSeen ? ` (seen ${s.dateSeen})` : "",
      ),
    );
    list.append(
      el("li", {}, el("strong", {}, chip.name), chip.notes ? ` — ${chip.notes}` : "", el("ul", {}, ...items)),
    );
  }
  return list;
}
