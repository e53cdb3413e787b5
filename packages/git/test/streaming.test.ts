import { randomBytes } from "node:crypto";
import { open, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBareRepo, pktLine, repoDir, serviceRpc } from "../src/index.ts";
import { ZERO, gitOk, startServer, type TestServer } from "./helpers.ts";

let srv: TestServer;
let work: string;

beforeAll(async () => {
  srv = await startServer();
  work = await mkdtemp(join(tmpdir(), "minilab-git-test-big-"));
});

afterAll(async () => {
  await srv?.close();
  await rm(work, { recursive: true, force: true });
});

const SIZE = 50 * 1024 * 1024;

async function writeRandomFile(path: string, size: number): Promise<void> {
  const fh = await open(path, "w");
  try {
    for (let done = 0; done < size; done += 1024 * 1024)
      await fh.write(randomBytes(Math.min(1024 * 1024, size - done)));
  } finally {
    await fh.close();
  }
}

describe("streaming", () => {
  it(
    "pushes and clones a 50 MB incompressible file without buffering the pack",
    { timeout: 180_000 },
    async () => {
      const bare = repoDir(srv.root, "big", "blob");
      await initBareRepo(bare);
      const src = join(work, "src");
      await gitOk(work, ["init", "-q", "-b", "main", src]);
      await writeRandomFile(join(src, "random.bin"), SIZE);
      await gitOk(src, ["add", "random.bin"]);
      await gitOk(src, ["commit", "-q", "-m", "big"]);
      const head = await gitOk(src, ["rev-parse", "HEAD"]);

      // Sample this process's memory while the ~50 MB pack flows through it. Buffering the pack
      // (in JS heap or ArrayBuffers) would add ≥ 50 MB; streaming keeps it to a few pipe buffers.
      const baseline = process.memoryUsage();
      let peak = 0;
      const timer = setInterval(() => {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed - baseline.heapUsed + (m.arrayBuffers - baseline.arrayBuffers));
      }, 5);
      try {
        await gitOk(src, ["push", "-q", `${srv.url}/big/blob.git`, "main"]);
      } finally {
        clearInterval(timer);
      }
      expect(srv.rpcs.at(-1)?.refUpdates).toEqual([{ ref: "refs/heads/main", oldSha: ZERO, newSha: head }]);
      expect(await gitOk(bare, ["cat-file", "-s", "HEAD:random.bin"])).toBe(String(SIZE));
      expect(peak).toBeLessThan(30 * 1024 * 1024);

      await gitOk(work, ["clone", "-q", `${srv.url}/big/blob.git`, "clone"]);
      expect((await stat(join(work, "clone", "random.bin"))).size).toBe(SIZE);
    },
  );

  it("inflates a gzip request body (protocol v2 ls-refs)", async () => {
    const bare = repoDir(srv.root, "big", "blob");
    const request = Buffer.concat([
      pktLine("command=ls-refs\n"),
      Buffer.from("0001"),
      pktLine("peel\n"),
      Buffer.from("0000"),
    ]);
    const rpc = await serviceRpc({
      service: "git-upload-pack",
      dir: bare,
      body: new Blob([gzipSync(request)]).stream(),
      contentEncoding: "gzip",
      gitProtocol: "version=2",
    });
    const out = Buffer.from(await new Response(rpc.stdout).arrayBuffer()).toString("utf8");
    const { code } = await rpc.done;
    expect(code).toBe(0);
    expect(out).toContain(`${await gitOk(bare, ["rev-parse", "main"])} refs/heads/main`);
  });

  it("a corrupt gzip body makes git fail instead of hanging", async () => {
    const rpc = await serviceRpc({
      service: "git-upload-pack",
      dir: repoDir(srv.root, "big", "blob"),
      body: new Blob([Buffer.from("definitely not gzip")]).stream(),
      contentEncoding: "gzip",
    });
    await new Response(rpc.stdout).arrayBuffer().catch(() => undefined);
    expect((await rpc.done).code).not.toBe(0);
  });
});
