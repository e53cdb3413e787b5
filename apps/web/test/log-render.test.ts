import { describe, expect, it } from "vitest";
import { LogRenderer, renderBlock } from "../src/lib/log-render.ts";
import { buildSections, sectionDuration, visibleLines } from "../src/lib/log-sections.ts";

const start = (ts: number, name: string, opts = "") => `\x1b[0Ksection_start:${ts}:${name}${opts}\r\x1b[0K`;
const end = (ts: number, name: string) => `\x1b[0Ksection_end:${ts}:${name}\r\x1b[0K`;

describe("log rendering", () => {
  it("numbers lines from the given first line, across arbitrary chunk splits", () => {
    const r = new LogRenderer(41);
    r.push("one\ntw");
    r.push("o\nthr");
    expect(r.lines.map((l) => [l.n, l.text])).toEqual([
      [41, "one"],
      [42, "two"],
    ]);
    expect(r.partialLine()?.text).toBe("thr");
  });

  it("renders colours as escaped HTML and strips escapes from the search text", () => {
    const [line] = renderBlock("\x1b[31m<b>red</b>\x1b[0m\n", 1);
    expect(line?.html).toContain("color:rgb(");
    expect(line?.html).toContain("&lt;b&gt;red&lt;/b&gt;");
    expect(line?.text).toBe("<b>red</b>");
  });

  it("builds nested sections with durations and hides collapsed content", () => {
    const lines = renderBlock(
      [
        `${start(100, "outer")}Outer`,
        "a",
        `${start(101, "inner", "[collapsed=true]")}Inner`,
        "b",
        `${end(104, "inner")}`,
        "c",
        `${end(130, "outer")}`,
        "after",
      ].join("\n"),
      1,
    );
    const tree = buildSections(lines);
    const outer = tree.sections.get(0);
    const inner = tree.sections.get(2);
    expect(outer && sectionDuration(outer)).toBe("00:30");
    expect(inner && sectionDuration(inner)).toBe("00:03");
    const shown = (collapsed: Set<string>) =>
      visibleLines(lines, tree, (s) => collapsed.has(s.name)).map((i) => lines[i]?.text);
    // Section-end-only lines are hidden; "inner" starts collapsed by its own marker.
    expect(visibleLines(lines, tree, (s) => s.collapsedByDefault).map((i) => lines[i]?.text)).toEqual([
      "Outer",
      "a",
      "Inner",
      "c",
      "after",
    ]);
    expect(shown(new Set(["outer"]))).toEqual(["Outer", "after"]);
    expect(shown(new Set())).toEqual(["Outer", "a", "Inner", "b", "c", "after"]);
  });

  it("lightens foreground colours that would be unreadable on the dark log panel", () => {
    const [red, green, blueOnRed] = renderBlock(
      "\x1b[31mred\x1b[0m\n\x1b[32mgreen\x1b[0m\n\x1b[34;41mx\x1b[0m\n",
      1,
    );
    expect(red?.html).toContain("color:rgb(255,107,107)");
    expect(green?.html).toContain("color:rgb(0,187,0)");
    // The foreground is lightened, the background keeps its colour.
    expect(blueOnRed?.html).toContain("color:rgb(110,140,255)");
    expect(blueOnRed?.html).toContain("background-color:rgb(187,0,0)");
  });

  it("shows the last state of carriage-return progress lines", () => {
    expect(renderBlock("10%\r50%\r100%\n", 1)[0]?.text).toBe("100%");
  });
});
