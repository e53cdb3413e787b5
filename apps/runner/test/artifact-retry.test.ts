/**
 * Artifact transfers survive a web app outage like the log and the finish do (retry.ts, one policy):
 * while nothing listens on the server's port (connection refused) or it answers 5xx, the upload is
 * retried, the job log says so once, and the archive arrives whole once the server is back. 4xx answers
 * are final, and a runner shutdown (the deadline) cuts the retrying short.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobSpec } from "@minilab/contracts";
import { ArtifactClient } from "../src/artifact-client.ts";
import { uploadArtifacts } from "../src/artifacts-step.ts";

interface Upload {
  url: string;
  body: Buffer;
}

/** A server that answers every artifact request with `status` (201 stores the body). */
function artifactServer(status: () => number, uploads: Upload[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const code = status();
      if (code === 201) uploads.push({ url: req.url ?? "", body: Buffer.concat(chunks) });
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(code === 201 ? {} : { message: code === 413 ? "too large" : "unavailable" }));
    });
  });
}

const listen = (s: Server, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolve((s.address() as AddressInfo).port));
  });
const close = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));

let dir: string;
const servers: Server[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "minilab-artifact-retry-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
  await rm(dir, { recursive: true, force: true });
});

/** A port nothing listens on (yet): requests to it are refused, as while the web app is down. */
async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await close(s);
  return port;
}

describe("artifact uploads during a web app outage", () => {
  it("keep retrying with the server policy until the web app is back, then upload the whole file", async () => {
    const file = path.join(dir, "artifacts.zip");
    const content = Buffer.alloc(256 * 1024, 7);
    await writeFile(file, content);
    const port = await freePort();
    const uploads: Upload[] = [];
    const upAfterMs = 1_500;
    // Down (connection refused) for 1.5 s: the old policy (3 attempts) gave up after ~0.4 s.
    const back = setTimeout(() => {
      const s = artifactServer(() => 201, uploads);
      servers.push(s);
      void listen(s, port);
    }, upAfterMs);
    const started = Date.now();
    const retries: number[] = [];
    try {
      await new ArtifactClient(`http://127.0.0.1:${port}`).upload(
        42,
        "job-token",
        file,
        { type: "archive", name: "out" },
        { onRetry: (_err, attempt) => retries.push(attempt) },
      );
    } finally {
      clearTimeout(back);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(upAfterMs);
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.url).toContain("/api/v4/jobs/42/artifacts?artifact_type=archive");
    expect(uploads[0]!.body.equals(content)).toBe(true);
  }, 20_000);

  it("retry 5xx answers, and the job's log says once that the server is unreachable", async () => {
    const project = path.join(dir, "project");
    await mkdir(path.join(project, "out"), { recursive: true });
    await writeFile(path.join(project, "out", "result.txt"), "built\n");
    let answered = 0;
    const uploads: Upload[] = [];
    // 502 for the first 8 requests (a proxy in front of a restarting web app).
    const s = artifactServer(() => (++answered <= 8 ? 502 : 201), uploads);
    servers.push(s);
    const port = await listen(s);
    const log: string[] = [];
    const spec = {
      id: 7,
      token: "t",
      variables: [],
      artifacts: {
        paths: ["out/"],
        exclude: [],
        untracked: false,
        when: "on_success",
        name: "a",
        expireIn: null,
        dotenv: [],
      },
    } as unknown as JobSpec;
    const failure = await uploadArtifacts(
      {
        spec,
        dir: project,
        client: new ArtifactClient(`http://127.0.0.1:${port}`, { initialMs: 5, maxMs: 20 }),
        out: (b) => log.push(b.toString()),
      },
      true,
    );
    expect(failure).toBeNull();
    expect(uploads).toHaveLength(1);
    const text = log.join("");
    expect(text.match(/retrying while the server is unreachable/g)).toHaveLength(1);
    expect(text).toContain("HTTP 502");
    expect(text).toContain('Uploading artifacts as "archive" to coordinator... 201 Created (1 files');
  }, 20_000);

  it("do not retry a 4xx answer", async () => {
    const file = path.join(dir, "big.zip");
    await writeFile(file, "x");
    let requests = 0;
    const s = artifactServer(() => (requests++, 413), []);
    servers.push(s);
    const port = await listen(s);
    const client = new ArtifactClient(`http://127.0.0.1:${port}`, { initialMs: 5, maxMs: 20 });
    await expect(client.upload(1, "t", file, { type: "archive" })).rejects.toThrow("413 too large");
    expect(requests).toBe(1);
  });

  it("stop retrying at the deadline (runner shutdown)", async () => {
    const file = path.join(dir, "a.zip");
    await writeFile(file, "x");
    const port = await freePort();
    const deadline = Date.now() + 500;
    const started = Date.now();
    await expect(
      new ArtifactClient(`http://127.0.0.1:${port}`, { initialMs: 5, maxMs: 50 }).upload(
        1,
        "t",
        file,
        { type: "archive" },
        { deadline: () => deadline },
      ),
    ).rejects.toThrow();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(2_000);
  });
});
