import type { Model, SlidingWindow } from "./schema.js";

/**
 * Sliding-window (local) attention: a query attends to at most the `tokens` keys before it. Models
 * that alternate windowed and full layers (gpt-oss: 128-token windows on every other layer, OpenAI
 * gpt-oss model card 2025) do less attention work than their sequence length says.
 */

/** Share of the layers that use the window. */
export function windowedLayerShare(m: Model): number {
  const w = m.slidingWindow;
  if (!w) return 0;
  return w.layers === "all" ? 1 : Math.ceil(m.layers / 2) / m.layers;
}

/**
 * Keys a query attends to on average over the layers, with causal masking: `s/2` on a full layer;
 * on a windowed layer the query at position i sees min(i, w) keys, `w − w²/(2s)` on average (w < s).
 */
export function meanAttendedKeys(m: Model, seqLen: number): number {
  const full = seqLen / 2;
  const share = windowedLayerShare(m);
  if (share === 0) return full;
  const w = m.slidingWindow!.tokens;
  const windowed = w >= seqLen ? full : w - (w * w) / (2 * seqLen);
  return share * windowed + (1 - share) * full;
}

/**
 * Reads a sliding window from a model's free-text notes, the validation format's place for attention
 * variants ("alternating full / 128-token sliding-window attention"). Null when the notes name none.
 */
export function slidingWindowFromNotes(notes: string | null | undefined): SlidingWindow | null {
  if (!notes) return null;
  const m = /(\d[\d,]*)[- ]token sliding[- ]window/i.exec(notes);
  if (!m) return null;
  const tokens = Number(m[1].replace(/,/g, ""));
  if (!Number.isInteger(tokens) || tokens <= 0) return null;
  return { tokens, layers: /alternat|every other/i.test(notes) ? "alternate" : "all" };
}
