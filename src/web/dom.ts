/** The few DOM helpers the page is built with: plain elements, no framework. */

/** The element with this id; the page's ids are fixed in index.html or made by the controls. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** An element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

let fieldId = 0;

/** A labelled control (an id is made for it where it has none, so the label points at it), with a hint. */
export function field(label: string, control: HTMLElement, hint = ""): HTMLElement {
  const id = control.id || `f${++fieldId}`;
  control.id = id;
  const wrap = el("div", { class: "field" }, el("label", { for: id }, label), control);
  // The error slot: filled by fieldErrors.ts when the field's value is refused.
  const error = el("small", { class: "error", id: `${id}-error`, role: "alert" });
  control.setAttribute("aria-describedby", error.id);
  wrap.append(error);
  if (hint) wrap.append(el("small", { class: "hint" }, hint));
  return wrap;
}

/**
 * A number field as text, so what the user typed ("5kW", "-1") reaches the check and its message;
 * a browser number input reports such text as blank.
 */
export function textNumber(name: string, value: string, placeholder = ""): HTMLInputElement {
  return el("input", {
    type: "text",
    inputmode: "decimal",
    name,
    value,
    placeholder,
    autocomplete: "off",
    class: "num",
  });
}

/** A stable name for the focused control (its name and value, or its id, or its data-chip), to find it again. */
function focusKey(e: Element | null): string | null {
  if (!(e instanceof HTMLElement) || e === document.body) return null;
  const name = e.getAttribute("name");
  if (name)
    return `[name="${CSS.escape(name)}"]${name === "chip" ? `[value="${CSS.escape((e as HTMLInputElement).value)}"]` : ""}`;
  if (e.id) return `#${CSS.escape(e.id)}`;
  const chip = e.dataset.chip;
  if (chip) return `${e.tagName.toLowerCase()}[data-chip="${CSS.escape(chip)}"]`;
  const rank = e.dataset.rank;
  if (rank) return `${e.tagName.toLowerCase()}[data-rank="${CSS.escape(rank)}"]`;
  return null;
}

/** Runs `rebuild` (which may replace the focused control) and puts the focus back on its replacement. */
export function keepFocus(rebuild: () => void): void {
  const before = document.activeElement;
  const key = focusKey(before);
  const selection =
    before instanceof HTMLInputElement && before.type === "text"
      ? [before.selectionStart, before.selectionEnd]
      : null;
  rebuild();
  if (!key || (before && document.contains(before))) return;
  const again = document.querySelector<HTMLElement>(key);
  if (!again) return;
  again.focus({ preventScroll: true });
  if (selection && again instanceof HTMLInputElement && selection[0] !== null) {
    again.setSelectionRange(selection[0], selection[1]);
  }
}

/** A select of [value, text] options with `value` chosen. */
export function select(name: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = el("select", { name });
  for (const [v, text] of options) s.append(el("option", { value: v }, text));
  s.value = value;
  return s;
}

/** A fieldset under a legend. */
export function fieldset(legend: string, ...children: HTMLElement[]): HTMLFieldSetElement {
  return el("fieldset", {}, el("legend", {}, legend), ...children);
}

/** A header row of column headings. */
export function headRow(columns: readonly string[]): HTMLTableSectionElement {
  return el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c))));
}
