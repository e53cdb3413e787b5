/**
 * Backpressure through the Docker executor (real engine, minilab/busybox:latest, network none): while
 * the output sink holds a promise the runner reads nothing more from the container, the job itself
 * waits (its writes block), and afterwards every byte arrives in order.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerExecutor } from "../src/index.ts";

const hasDocker = Boolean(process.env.DOCKER_HOST);

describe.skipIf(!hasDocker)("DockerExecutor backpressure", () => {
  let workdir = "";
  beforeAll(async () => {
    workdir = await mkdtemp(path.join(os.tmpdir(), "minilab-exec-bp-"));
  });
  afterAll(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  it("stops reading while the sink waits, the job waits too, and no byte is lost", async () => {
    const lines = 1_000_000; // ≈ 6.9 MB
    const chunks: Buffer[] = [];
    let received = 0;
    let stall: { at: number; since: number } | undefined;
    let duringStall: { received: number; finished: boolean } | undefined;
    const executor = new DockerExecutor({ defaults: { networkMode: "none" } });
    const result = await executor.run(
      {
        jobId: 950_000 + Math.floor(Math.random() * 10_000),
        image: "minilab/busybox:latest",
        beforeScript: [],
        script: [`seq 1 ${lines}`, "touch finished"],
        afterScript: [],
        variables: [],
        hostWorkdir: workdir,
        projectDir: "/builds/bp/p",
        timeoutSeconds: 120,
      },
      {
        signal: new AbortController().signal,
        onOutput: (chunk) => {
          chunks.push(chunk);
          received += chunk.length;
          if (stall || received < 1024 * 1024) return undefined;
          stall = { at: received, since: Date.now() };
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              duringStall = { received, finished: existsSync(path.join(workdir, "finished")) };
              resolve();
            }, 1500),
          );
        },
      },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(stall).toBeDefined();
    // Nothing was read during the stall, and the script had not got past its output.
    expect(duringStall).toEqual({ received: stall!.at, finished: false });
    expect(existsSync(path.join(workdir, "finished"))).toBe(true);
    const text = Buffer.concat(chunks).toString();
    const start = text.indexOf("1\n2\n3\n");
    const expected = Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join("");
    expect(text.slice(start, start + expected.length)).toBe(expected);
  }, 120_000);
});
