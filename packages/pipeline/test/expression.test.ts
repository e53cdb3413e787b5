/** GitLab's `rules:if` expression grammar, case by case (the fixtures cover it end to end). */
import { describe, expect, it } from "vitest";
import { evaluate, parseExpression } from "../src/index.ts";

const vars = { BRANCH: "main", EMPTY: "", RE: "/^ma/", TAG: "v1.2", SLASHED: "feature/x" };

describe("rules:if expressions", () => {
  it.each([
    ['$BRANCH == "main"', true],
    ["$BRANCH == 'main'", true],
    ['$BRANCH != "main"', false],
    ["$BRANCH", true],
    ["$EMPTY", false],
    ["$NOPE", false],
    ["$NOPE == null", true],
    ["$EMPTY == null", false],
    ['$NOPE == ""', false],
    ["$BRANCH =~ /^MA/i", true],
    ["$BRANCH =~ /^MA/", false],
    ["$BRANCH !~ /^ma/", false],
    ["$NOPE =~ /.*/", false],
    ["$BRANCH =~ $RE", true],
    ["$SLASHED =~ /^feature\\//", true],
    ['${BRANCH} == "main"', true],
    ["$BRANCH == $BRANCH", true],
    ['$BRANCH == "x" || $TAG && $BRANCH', true],
    ['($BRANCH == "x" || $TAG) && $NOPE', false],
    ['$BRANCH == "x" && $TAG || $BRANCH', true],
    ["$TAG =~ /^v\\d+\\.\\d+$/", true],
  ])("%s → %s", (text, want) => {
    const expr = parseExpression(text);
    expect(expr).not.toBeNull();
    expect(evaluate(expr!, vars)).toBe(want);
  });

  it.each(["", "$A ==", "== $A", "($A", "$A == 'x' &&", "$A = 'x'", "$A =~ /[/", "${A == 'x'", "$A 'x'"])(
    "rejects %j",
    (text) => {
      expect(parseExpression(text)).toBeNull();
    },
  );
});
