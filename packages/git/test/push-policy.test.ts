import { describe, expect, it } from "vitest";
import {
  PROTECTED_DELETE_MESSAGE,
  PROTECTED_FORCE_PUSH_MESSAGE,
  PROTECTED_PUSH_MESSAGE,
  matchesBranchPattern,
  refuseRefUpdate,
  type PushPolicy,
} from "../src/index.ts";
import { parsePushLog } from "../src/push-log.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);

const policy = (level: number): PushPolicy => ({
  level,
  rules: [
    { pattern: "main", pushAccessLevel: 40, allowForcePush: false },
    { pattern: "release/*", pushAccessLevel: 30, allowForcePush: true },
    { pattern: "release/frozen-*", pushAccessLevel: 0, allowForcePush: true },
  ],
});

describe("refuseRefUpdate", () => {
  it.each([
    // level, ref, old, new, force?, expected
    [30, "refs/heads/feature", A, B, true, null],
    [30, "refs/heads/feature", A, Z, false, null],
    [30, "refs/tags/v1", Z, A, false, null],
    [30, "refs/heads/main", A, B, false, PROTECTED_PUSH_MESSAGE],
    [40, "refs/heads/main", A, B, false, null],
    [40, "refs/heads/main", Z, B, false, null],
    [40, "refs/heads/main", A, B, true, PROTECTED_FORCE_PUSH_MESSAGE],
    [50, "refs/heads/main", A, Z, false, PROTECTED_DELETE_MESSAGE],
    [30, "refs/heads/release/1.0", A, B, true, null],
    [30, "refs/heads/release/a/b", A, B, false, null],
    // Two rules match: push allowed if any allows (release/*), force only if all allow.
    [30, "refs/heads/release/frozen-1", A, B, false, null],
    [30, "refs/heads/mainline", A, B, true, null],
  ] as const)("level %i %s %s→%s force=%s", (level, ref, oldSha, newSha, force, expected) => {
    expect(refuseRefUpdate(policy(level), { ref, oldSha, newSha }, () => force)).toBe(expected);
  });

  it("asks about force pushes only when it matters", () => {
    let asked = 0;
    const isForce = () => (asked++, false);
    refuseRefUpdate(policy(40), { ref: "refs/heads/feature", oldSha: A, newSha: B }, isForce);
    refuseRefUpdate(policy(30), { ref: "refs/heads/main", oldSha: A, newSha: B }, isForce);
    refuseRefUpdate(policy(40), { ref: "refs/heads/main", oldSha: Z, newSha: B }, isForce);
    expect(asked).toBe(0);
    refuseRefUpdate(policy(40), { ref: "refs/heads/main", oldSha: A, newSha: B }, isForce);
    expect(asked).toBe(1);
  });

  it("no one (0) may push to a branch protected only with level 0", () => {
    const p: PushPolicy = {
      level: 50,
      rules: [{ pattern: "frozen", pushAccessLevel: 0, allowForcePush: false }],
    };
    expect(refuseRefUpdate(p, { ref: "refs/heads/frozen", oldSha: A, newSha: B }, () => false)).toBe(
      PROTECTED_PUSH_MESSAGE,
    );
  });

  it("survives being embedded by source (the hook does that)", () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function(`return (${refuseRefUpdate.toString()});`) as () => typeof refuseRefUpdate;
    const copy = make();
    expect(copy(policy(30), { ref: "refs/heads/main", oldSha: A, newSha: B }, () => false)).toBe(
      PROTECTED_PUSH_MESSAGE,
    );
  });
});

describe("matchesBranchPattern", () => {
  it.each([
    ["main", "main", true],
    ["main", "main2", false],
    ["release/*", "release/1.0", true],
    ["release/*", "release", false],
    ["*-stable", "1-0-stable", true],
    ["v1.0", "v1x0", false],
    ["*", "anything/at/all", true],
    // GitLab's wildcard: `*` crosses '/', and every other character is literal.
    ["release/*", "release/1/hotfix", true],
    ["*/hotfix", "team/a/hotfix", true],
    ["fix(1)+[a]", "fix(1)+[a]", true],
    ["fix(1)+", "fix11", false],
    ["a|b", "a", false],
  ] as const)("%s ~ %s → %s", (pattern, branch, expected) => {
    expect(matchesBranchPattern(pattern, branch)).toBe(expected);
  });
});

describe("parsePushLog", () => {
  it("reads push options before the accepted updates", () => {
    expect(parsePushLog(`option ci.skip\noption ci.variable=A=1\n${A} ${B} refs/heads/x\n`)).toEqual({
      pushOptions: ["ci.skip", "ci.variable=A=1"],
      updates: [{ ref: "refs/heads/x", oldSha: A, newSha: B }],
    });
  });
  it("refuses a malformed line", () => {
    expect(() => parsePushLog("garbage\n")).toThrow(/Malformed/);
  });
});
