import { describe, expect, it } from "vitest";
import { SearchQueue } from "./searchQueue.js";

/** Hands out every request, workers asking in turn; returns each worker's requests in order. */
function drain(keys: string[], workers: number): number[][] {
  const queue = new SearchQueue(keys, workers);
  const got: number[][] = Array.from({ length: workers }, () => []);
  for (let open = workers; open > 0; ) {
    open = 0;
    for (let w = 0; w < workers; w++) {
      const id = queue.next(w);
      if (id === null) continue;
      got[w].push(id);
      open++;
    }
  }
  return got;
}

describe("SearchQueue", () => {
  it("hands out every request exactly once", () => {
    const keys = ["a", "a", "b", "c", "c", "c", "a"];
    const got = drain(keys, 3).flat();
    expect(got.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("keeps each worker to one chip while another chip is unstarted", () => {
    const keys = ["a", "a", "a", "b", "b", "b"];
    const [first, second] = drain(keys, 2);
    expect(first.map((i) => keys[i])).toEqual(["a", "a", "a"]);
    expect(second.map((i) => keys[i])).toEqual(["b", "b", "b"]);
  });

  it("hands out a chip's requests last first, so its larger counts are searched before the smaller", () => {
    const [only] = drain(["a", "a", "a"], 1);
    expect(only).toEqual([2, 1, 0]);
  });

  it("lets an idle worker help with the longest queue from its far end", () => {
    const [first, second] = drain(["a", "a", "a", "a"], 2);
    expect(first).toEqual([3, 2]);
    expect(second).toEqual([0, 1]);
  });
});
