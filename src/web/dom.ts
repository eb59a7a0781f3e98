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
  if (hint) wrap.append(el("small", {}, hint));
  return wrap;
}

export function numberInput(
  name: string,
  value: number,
  attrs: Record<string, string> = {},
): HTMLInputElement {
  return el("input", { type: "number", name, value: String(value), ...attrs });
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
