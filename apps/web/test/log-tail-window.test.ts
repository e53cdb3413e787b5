import { describe, expect, it } from "vitest";
import { lastLines } from "../src/lib/log-tail-window";

const enc = (s: string) => new TextEncoder().encode(s);
const tail = (s: string, n: number) => {
  const b = enc(s);
  const { start, linesBefore } = lastLines(b, n);
  return { text: new TextDecoder().decode(b.subarray(start)), linesBefore };
};

describe("lastLines", () => {
  it("keeps the last n lines and counts the lines before them", () => {
    expect(tail("a\nb\nc\n", 2)).toEqual({ text: "b\nc\n", linesBefore: 1 });
    expect(tail("a\nb\nc\n", 1)).toEqual({ text: "c\n", linesBefore: 2 });
  });
  it("counts an unfinished last line as a line", () => {
    expect(tail("a\nb\nc", 1)).toEqual({ text: "c", linesBefore: 2 });
    expect(tail("a\nb\nc", 2)).toEqual({ text: "b\nc", linesBefore: 1 });
  });
  it("returns everything when there are no more lines than asked for", () => {
    expect(tail("a\nb\n", 2)).toEqual({ text: "a\nb\n", linesBefore: 0 });
    expect(tail("a\nb\n", 5)).toEqual({ text: "a\nb\n", linesBefore: 0 });
    expect(tail("", 3)).toEqual({ text: "", linesBefore: 0 });
    expect(tail("\n\n", 1)).toEqual({ text: "\n", linesBefore: 1 });
  });
  it("keeps multi-byte characters whole (a newline byte never occurs inside one)", () => {
    expect(tail("ä\n→ x\nü ✓\n", 2)).toEqual({ text: "→ x\nü ✓\n", linesBefore: 1 });
  });
});
