/**
 * A server that takes the log's end with the finish (`JobSpec.finishTrace`): an instant job's whole
 * log rides on the finish request (no PATCH), a long one's tail does, and without the flag the
 * runner PATCHes everything first as before.
 */
import os from "node:os";
import type { JobSpec } from "@minilab/contracts";
import { FakeExecutor } from "@minilab/executor";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, type TraceResponse } from "../src/api-client.ts";
import { LogUploader } from "../src/log-uploader.ts";
import { runJob, type JobRunnerDeps } from "../src/job-runner.ts";
import { startFakeServer, type FakeServer } from "./fake-server.ts";

let server: FakeServer;
let deps: JobRunnerDeps;

const spec = (id: number, over: Partial<JobSpec> = {}): JobSpec => ({
  id,
  token: `glcbt-token-${id}-abcdefgh`,
  name: "test",
  stage: "test",
  image: "",
  beforeScript: [],
  script: ["echo hello"],
  afterScript: [],
  variables: [{ key: "GIT_STRATEGY", value: "none", masked: false }],
  git: { repoUrl: "http://gitlab-ci-token:x@h/ns/p.git", sha: "a".repeat(40), ref: "main", projectDir: "/b" },
  timeoutSeconds: 30,
  ...over,
});

beforeEach(async () => {
  server = await startFakeServer();
  deps = {
    api: new ApiClient(server.url, "runner-token"),
    executor: new FakeExecutor(),
    buildsDir: os.tmpdir(),
    defaultImage: "minilab/busybox:latest",
    runnerName: "test-runner",
    log: () => undefined,
  };
});
afterEach(() => server.close());

describe("the log's end sent with the finish", () => {
  it("whatever was not PATCHed yet goes with the finish, right after the acknowledged bytes", async () => {
    server.specs.set(1, spec(1, { finishTrace: true }));
    const finish = await runJob(1, deps, new AbortController().signal);
    expect(finish?.state).toBe("success");
    const trace = server.finishes[0]?.body.trace;
    // The 25 ms flush may have PATCHed some (or, on a slow machine, all) of it while the job ran.
    const patched = server.requests.reduce((n, r) => n + r.size, 0);
    const carried = Buffer.from(trace?.content ?? "", "base64").length;
    if (trace) expect(trace.offset).toBe(patched);
    expect(patched + carried).toBe(server.logSize);
    expect(server.log.toString()).toContain("hello");
    expect(server.log.toString()).toMatch(/Job succeeded\S*\n$/);
  });

  it("a log longer than the finish may carry is PATCHed first; only the end rides along", async () => {
    // 200 KB of output: more than FINISH_TRACE_MAX_BYTES, so PATCHes carry it up to the tail.
    const big = "x".repeat(9999);
    server.specs.set(
      2,
      spec(2, {
        finishTrace: true,
        script: Array.from({ length: 20 }, () => "echo $BIG"),
        variables: [...spec(2).variables, { key: "BIG", value: big, masked: false }],
      }),
    );
    const finish = await runJob(2, deps, new AbortController().signal);
    expect(finish?.state).toBe("success");
    const log = server.log.toString();
    expect(log).toContain("Job succeeded");
    expect(log.split(`${big}\n`).length - 1).toBe(20);
    const patched = server.requests.reduce((n, r) => n + r.size, 0);
    const carried = Buffer.from(server.finishes[0]?.body.trace?.content ?? "", "base64").length;
    expect(patched + carried).toBe(server.logSize);
  });

  it("without the server's flag every byte is PATCHed before the finish", async () => {
    server.specs.set(3, spec(3));
    await runJob(3, deps, new AbortController().signal);
    expect(server.finishes[0]?.body.trace).toBeUndefined();
    expect(server.requests.some((r) => r.size > 0)).toBe(true);
    expect(server.log.toString()).toContain("Job succeeded");
  });
});

describe("LogUploader.closeForFinish", () => {
  const api = () => {
    const sent: { start: number; size: number }[] = [];
    return {
      sent,
      async patchTrace(
        _id: number,
        _token: string,
        start: number,
        bytes: Uint8Array,
      ): Promise<TraceResponse> {
        sent.push({ start, size: bytes.length });
        return { status: 202, acked: start + bytes.length, jobStatus: "running" };
      },
    };
  };

  it("hands back bytes not sent yet instead of PATCHing them", async () => {
    const a = api();
    const u = new LogUploader({ api: a, jobId: 1, jobToken: "t", flushDelayMs: 10_000 });
    u.write(Buffer.from("one\n"));
    u.write(Buffer.from("two\n"));
    expect(await u.closeForFinish(1024)).toEqual({ offset: 0, data: Buffer.from("one\ntwo\n") });
    expect(a.sent).toEqual([]);
  });

  it("PATCHes everything when more than the finish may carry is waiting", async () => {
    const a = api();
    const u = new LogUploader({ api: a, jobId: 1, jobToken: "t", flushDelayMs: 10_000 });
    u.write(Buffer.alloc(3000, 120));
    const tail = await u.closeForFinish(1024);
    expect(tail.offset).toBe(3000);
    expect(tail.data.length).toBe(0);
    expect(a.sent.reduce((n, s) => n + s.size, 0)).toBe(3000);
  });
});
