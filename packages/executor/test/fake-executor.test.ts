import { describe, expect, it } from "vitest";
import { FakeExecutor } from "../src/index.ts";
import type { ExecutionRequest } from "../src/index.ts";

function request(over: Partial<ExecutionRequest>): ExecutionRequest {
  return {
    jobId: 1,
    image: "any",
    beforeScript: [],
    script: [],
    afterScript: [],
    variables: [],
    hostWorkdir: "/nowhere",
    projectDir: "/builds/p",
    timeoutSeconds: 10,
    ...over,
  };
}

async function run(over: Partial<ExecutionRequest>, signal = new AbortController().signal) {
  const chunks: Buffer[] = [];
  const result = await new FakeExecutor().run(request(over), { onOutput: (c) => chunks.push(c), signal });
  return { result, log: Buffer.concat(chunks).toString() };
}

describe("FakeExecutor", () => {
  it("prints, expands variables, stops at the first non-zero exit and still runs after_script", async () => {
    const { result, log } = await run({
      beforeScript: ["echo before"],
      script: ["echo hello $WHO", "exit 3", "echo never"],
      afterScript: ["echo after"],
      variables: [{ key: "WHO", value: "world", masked: false }],
    });
    expect(result).toEqual({ exitCode: 3, failureReason: "script_failure" });
    expect(log).toContain("\x1b[32;1m$ echo hello $WHO\x1b[0;m\nhello world\n");
    expect(log).toContain("before\n");
    expect(log).not.toContain("never\n");
    expect(log.indexOf("after\n")).toBeGreaterThan(log.indexOf("hello world"));
  });

  it("succeeds when every command succeeds", async () => {
    expect((await run({ script: ["echo ok", "true"] })).result).toEqual({ exitCode: 0 });
  });

  it("times out a long sleep", async () => {
    const { result } = await run({ script: ["sleep 5"], timeoutSeconds: 0.05 });
    expect(result).toEqual({ exitCode: null, failureReason: "job_execution_timeout" });
  });

  it("cancels on abort and runs after_script", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const { result, log } = await run({ script: ["sleep 5"], afterScript: ["echo after cancel"] }, ac.signal);
    expect(result).toEqual({ exitCode: null, failureReason: "canceled" });
    expect(log).toContain("after cancel");
  });
});
