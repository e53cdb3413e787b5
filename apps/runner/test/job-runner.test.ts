/** runJob with the FakeExecutor and the fake server: claim → run → log → finish, as the server sees it. */
import os from "node:os";
import type { JobSpec } from "@minilab/contracts";
import { FakeExecutor } from "@minilab/executor";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api-client.ts";
import { runJob, type JobRunnerDeps } from "../src/job-runner.ts";
import { startFakeServer, type FakeServer } from "./fake-server.ts";

let server: FakeServer;
let deps: JobRunnerDeps;
const messages: string[] = [];

function spec(id: number, over: Partial<JobSpec> = {}): JobSpec {
  return {
    id,
    token: `glcbt-token-${id}-abcdefgh`,
    name: "test",
    stage: "test",
    image: "",
    beforeScript: [],
    script: [],
    afterScript: [],
    variables: [],
    git: {
      repoUrl: "http://gitlab-ci-token:x@h/ns/p.git",
      sha: "a".repeat(40),
      ref: "main",
      projectDir: "/builds/ns/p",
    },
    timeoutSeconds: 30,
    ...over,
  };
}

beforeEach(async () => {
  server = await startFakeServer();
  messages.length = 0;
  deps = {
    api: new ApiClient(server.url, "runner-token"),
    executor: new FakeExecutor(),
    buildsDir: os.tmpdir(),
    defaultImage: "minilab/busybox:latest",
    runnerName: "test-runner",
    log: (m) => messages.push(m),
    checkout: async (o) => o.onOutput(Buffer.from("checked out\n")),
  };
});
afterEach(() => server.close());

describe("runJob", () => {
  it("runs a claimed job, masks secrets and finishes after the log is acknowledged", async () => {
    server.specs.set(
      1,
      spec(1, {
        script: ["echo secret is $PASSWORD", "echo token $CI_JOB_TOKEN", "exit 4"],
        variables: [
          { key: "PASSWORD", value: "correct-horse-battery", masked: true },
          { key: "CI_JOB_TOKEN", value: "glcbt-token-1-abcdefgh", masked: false },
        ],
      }),
    );
    const finish = await runJob(1, deps, new AbortController().signal);
    expect(finish).toEqual({ state: "failed", exitCode: 4, failureReason: "script_failure" });
    expect(server.finishes).toEqual([{ jobId: 1, body: finish }]);
    const log = server.log.toString();
    expect(log).toContain("checked out");
    expect(log).toContain("secret is [MASKED]");
    expect(log).toContain("token [MASKED]");
    expect(log).not.toContain("correct-horse-battery");
    expect(log).not.toContain("glcbt-token-1-abcdefgh");
    expect((deps.executor as FakeExecutor).requests[0]?.image).toBe("minilab/busybox:latest");
  });

  it("drops a job whose claim answers 409", async () => {
    expect(await runJob(2, deps, new AbortController().signal)).toBeNull();
    expect(server.finishes).toEqual([]);
  });

  it("aborts when the server reports the job canceled", async () => {
    server.specs.set(3, spec(3, { script: ["echo started", "sleep 20"], afterScript: ["echo after"] }));
    server.jobStatus = "canceled";
    const started = Date.now();
    const finish = await runJob(3, deps, new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(finish).toEqual({ state: "canceled", exitCode: null });
    expect(server.finishes).toEqual([{ jobId: 3, body: finish }]);
    expect(server.log.toString()).toContain("after");
  });

  it("stops within a second on a cancel message, long before the next trace heartbeat", async () => {
    server.specs.set(6, spec(6, { script: ["echo started", "sleep 20"], afterScript: ["echo cleanup"] }));
    const watched: number[] = [];
    let cancel: (() => void) | undefined;
    deps.cancels = {
      watch(jobId) {
        watched.push(jobId);
        return {
          onCancel: (fn) => {
            cancel = fn;
          },
          dispose: () => undefined,
        };
      },
    };
    setTimeout(() => cancel?.(), 100);
    const started = Date.now();
    const finish = await runJob(6, deps, new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(watched).toEqual([6]);
    expect(finish).toEqual({ state: "canceled", exitCode: null });
    expect(server.log.toString()).toContain("cleanup");
  });

  it("honours a cancel that arrived between the claim and the start", async () => {
    server.specs.set(7, spec(7, { script: ["sleep 20"] }));
    deps.cancels = { watch: () => ({ onCancel: (fn) => fn(), dispose: () => undefined }) };
    const started = Date.now();
    const finish = await runJob(7, deps, new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(finish).toEqual({ state: "canceled", exitCode: null });
  });

  it("reports a runner-side exception as runner_system_failure with an explanation", async () => {
    server.specs.set(4, spec(4, { script: ["echo never"] }));
    deps.checkout = async () => {
      throw new Error("disk on fire");
    };
    const finish = await runJob(4, deps, new AbortController().signal);
    expect(finish).toEqual({ state: "failed", exitCode: null, failureReason: "runner_system_failure" });
    expect(server.log.toString()).toContain("disk on fire");
  });

  it("finishes running jobs as failed when the runner shuts down", async () => {
    server.specs.set(5, spec(5, { script: ["sleep 20"] }));
    const shutdown = new AbortController();
    setTimeout(() => shutdown.abort(), 50);
    const finish = await runJob(5, deps, shutdown.signal);
    expect(finish).toEqual({ state: "failed", exitCode: null, failureReason: "runner_system_failure" });
    expect(server.log.toString()).toContain("shutting down");
  });
});
