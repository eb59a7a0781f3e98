/**
 * Generated blocks in Markdown files: the text between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->` belongs to the docs generator, everything else to people.
 * Pure string functions so the generator's file handling stays in scripts/.
 */

export function openMarker(name: string): string {
  return `<!-- generated:${name} -->`;
}

export function closeMarker(name: string): string {
  return `<!-- /generated:${name} -->`;
}

/** Names of the generated blocks a text contains (opening markers), in order of appearance. */
export function blockNames(text: string): string[] {
  return [...text.matchAll(/<!-- generated:([A-Za-z0-9_-]+) -->/g)].map((m) => m[1]);
}

/** The current content of block `name` (between the markers, without the surrounding newlines), or null. */
export function readBlock(text: string, name: string): string | null {
  const open = openMarker(name);
  const close = closeMarker(name);
  const start = text.indexOf(open);
  if (start < 0) return null;
  const end = text.indexOf(close, start + open.length);
  if (end < 0) return null;
  return text
    .slice(start + open.length, end)
    .replace(/^\n/, "")
    .replace(/\n$/, "");
}

export interface Replacement {
  text: string;
  /** "missing": no opening marker; "unclosed": an opening marker without its closing one. */
  status: "replaced" | "missing" | "unclosed";
}

/**
 * Replaces the content of block `name` with `content` (one newline after the opening marker and one
 * before the closing marker). Text outside the markers is left byte for byte.
 */
export function replaceBlock(text: string, name: string, content: string): Replacement {
  const open = openMarker(name);
  const close = closeMarker(name);
  const start = text.indexOf(open);
  if (start < 0) return { text, status: "missing" };
  const end = text.indexOf(close, start + open.length);
  if (end < 0) return { text, status: "unclosed" };
  const body = content.replace(/\n+$/, "");
  return {
    text: `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`,
    status: "replaced",
  };
}

/**
 * Keeps a block's date stamp stable: if the freshly generated content equals the current one once
 * the stamp line is ignored, the current content (with its old date) is kept, so re-running the
 * generator without engine changes gives no diff.
 */
export function keepStampIfUnchanged(current: string | null, fresh: string, stamp: RegExp): string {
  if (current == null) return fresh;
  const strip = (s: string) => s.replace(stamp, "").trim();
  return strip(current) === strip(fresh) ? current : fresh;
}
