/**
 * File-type variables (GitLab's `variable_type: file`, e.g. TRIGGER_PAYLOAD): the job script sees the
 * variable as the path of a file holding the value, byte for byte. Runs the generated script with sh.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildScript, fileVariableKeys } from "../src/script.ts";

describe("file variables", () => {
  it("writes the value to a file and sets the variable to its path, before the first command", () => {
    const value = `{"quote":"it's","dollar":"$HOME","newline":"a\nb","back":"\\\\"}`;
    const script = buildScript(
      ['test -f "$PAYLOAD"', 'cat "$PAYLOAD"', 'echo; echo "path=$PAYLOAD"', 'echo "plain=$PLAIN"'],
      ["PAYLOAD"],
    );
    const out = execFileSync("sh", ["-c", script], {
      env: { ...process.env, PAYLOAD: value, PLAIN: "x" },
      encoding: "utf8",
    });
    expect(out).toContain(value);
    expect(out).toMatch(/path=\/\S+\/PAYLOAD/);
    expect(out).toContain("plain=x");
    // The prelude is not echoed as a command.
    expect(out).not.toContain("minilab_vars");
  });

  it("lists only variables marked as files, once each", () => {
    expect(
      fileVariableKeys([
        { key: "A", file: true },
        { key: "B" },
        { key: "A", file: true },
        { key: "C", file: false },
      ]),
    ).toEqual(["A"]);
  });
});
