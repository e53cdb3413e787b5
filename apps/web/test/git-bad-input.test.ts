/**
 * The bad-input corpus against the git routes (real Postgres, real core, real git): each answered
 * with a clear 4xx or git's own error, never a 500, and the repository stays fsck-clean with no
 * push event recorded.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as DbModule from "@minilab/db";
import type { Db, Project, User } from "@minilab/db";

const state = vi.hoisted((): { db: unknown } => ({ db: null }));
vi.mock("@minilab/db", async (importOriginal) => ({
  ...(await importOriginal<typeof DbModule>()),
  getDb: () => state.db,
}));

const { createTestDatabase } = await import("@minilab/db/testing");
const { createProject, resetCoreConfig } = await import("@minilab/core");
const { pktLine, FLUSH_PKT } = await import("@minilab/git");
const { commitOnTop, cred, fsck, git, gitOk, mkUser, startGitApp } = await import("./helpers/git-app.ts");

describe("git bad-input corpus", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let app: Awaited<ReturnType<typeof startGitApp>>;
  let owner: User;
  let project: Project;
  let auth: Record<string, string>;
  const repo = "olivia/corpus.git";

  const post = (service: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${app.base}/${repo}/${service}`, {
      method: "POST",
      headers: { ...auth, "Content-Type": `application/x-${service}-request`, ...headers },
      body,
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
    state.db = db;
    app = await startGitApp();
    owner = await mkUser(db, "olivia");
    project = await createProject({ db, owner, name: "corpus", visibility: "public" });
    auth = { Authorization: `Basic ${Buffer.from(cred(owner)).toString("base64")}` };
    const dir = await commitOnTop(app, cred(owner), repo);
    await gitOk(dir, ["push", "-q", "origin", "main"]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
    delete process.env["MINILAB_GIT_MAX_BODY_BYTES"];
    resetCoreConfig();
  });

  it("answers a wrong Content-Type with 415", async () => {
    for (const service of ["git-upload-pack", "git-receive-pack"]) {
      const res = await post(service, "0000", { "Content-Type": "application/json" });
      expect(res.status).toBe(415);
      expect(await res.text()).toContain(`application/x-${service}-request`);
    }
  });

  it("answers malformed pkt-lines with 400 and git's own message", async () => {
    for (const service of ["git-upload-pack", "git-receive-pack"]) {
      const res = await post(service, "zzzzthis is not a pkt-line");
      expect(res.status, service).toBe(400);
      expect(await res.text()).toMatch(/protocol error|bad line length|fatal/);
    }
  });

  it("answers a corrupt gzip body with 400", async () => {
    const res = await post("git-upload-pack", randomBytes(64), { "Content-Encoding": "gzip" });
    expect(res.status).toBe(400);
  });

  it("refuses a truncated pack: git reports the unpack failure, no ref, no event", async () => {
    const dir = await commitOnTop(app, cred(owner), repo, "trunc");
    const oldSha = "0".repeat(40);
    const newSha = await gitOk(dir, ["rev-parse", "HEAD"]);
    const pack = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn("git", ["-C", dir, "pack-objects", "--stdout", "--revs"]);
      const chunks: Buffer[] = [];
      child.stdout.on("data", (c: Buffer) => chunks.push(c));
      child.on("error", reject);
      child.on("close", () => resolve(Buffer.concat(chunks)));
      child.stdin.end(`${newSha}\n^origin/main\n`);
    });
    expect(pack.length).toBeGreaterThan(100);
    const body = Buffer.concat([
      pktLine(`${oldSha} ${newSha} refs/heads/trunc\0report-status\n`),
      FLUSH_PKT,
      pack.subarray(0, Math.floor(pack.length / 2)),
    ]);
    const res = await post("git-receive-pack", body);
    expect([200, 400]).toContain(res.status);
    expect(await res.text()).toMatch(/unpack|index-pack|fatal|early EOF/);
    expect((await git(dir, ["ls-remote", "--exit-code", "origin", "refs/heads/trunc"])).code).not.toBe(0);
    expect(await db.pushEvent.count({ where: { projectId: project.id, ref: "refs/heads/trunc" } })).toBe(0);
    expect(await fsck(app, "olivia", "corpus")).toBe("");
  });

  it("answers traversal and malformed paths with 4xx, never anything of the repository", async () => {
    const paths = [
      "olivia/..%2F..%2Fetc/info/refs?service=git-upload-pack",
      "%2e%2e/corpus.git/info/refs?service=git-upload-pack",
      "olivia/%2e%2e/info/refs?service=git-upload-pack",
      "olivia/corpus%00.git/info/refs?service=git-upload-pack",
      "olivia/.git/info/refs?service=git-upload-pack",
      "olivia/-corpus/info/refs?service=git-upload-pack",
      "olivia/corpus.git/info/refs?service=../../etc/passwd",
    ];
    for (const p of paths) {
      for (const headers of [{}, auth]) {
        const res = await fetch(`${app.base}/${p}`, { headers });
        expect(res.status, p).toBeGreaterThanOrEqual(400);
        expect(res.status, p).toBeLessThan(500);
        expect(res.headers.get("content-type") ?? "", p).not.toMatch(/x-git/);
      }
    }
    const res = await post("git-receive-pack", "0000", {});
    expect(res.status).toBeLessThan(500);
  });

  it("answers a body over MINILAB_GIT_MAX_BODY_BYTES with 413 (declared or streamed), nothing applied", async () => {
    process.env["MINILAB_GIT_MAX_BODY_BYTES"] = String(256 * 1024);
    resetCoreConfig();
    try {
      // Declared too large: answered from the headers alone, before any body byte is read (the
      // client sends none, so the answer cannot race the upload).
      const declared = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(`${app.base}/${repo}/git-receive-pack`, {
          method: "POST",
          headers: {
            ...auth,
            "Content-Type": "application/x-git-receive-pack-request",
            "Content-Length": String(300 * 1024),
          },
        });
        req.on("error", reject);
        req.on("response", (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, text });
          });
        });
        req.flushHeaders();
      });
      expect(declared.status).toBe(413);
      expect(declared.text).toMatch(/larger than 262144 bytes/);

      // A real push of an incompressible 2 MB file: git streams it chunked, the limit cuts it off.
      const dir = await commitOnTop(app, cred(owner), repo, "big");
      await writeFile(join(dir, "big.bin"), randomBytes(2 * 1024 * 1024));
      await gitOk(dir, ["add", "."]);
      await gitOk(dir, ["commit", "-q", "-m", "big"]);
      const r = await git(dir, ["push", "origin", "big"]);
      expect(r.code).not.toBe(0);
      // How git words it depends on when the cut reaches it: the 413, or a broken upload.
      expect(r.stderr).toMatch(
        /413|unexpected disconnect|the remote end hung up|RPC failed|Broken pipe|reset/,
      );
      expect((await git(dir, ["ls-remote", "--exit-code", "origin", "refs/heads/big"])).code).not.toBe(0);
      expect(await db.pushEvent.count({ where: { projectId: project.id, ref: "refs/heads/big" } })).toBe(0);
    } finally {
      delete process.env["MINILAB_GIT_MAX_BODY_BYTES"];
      resetCoreConfig();
    }
    expect(await fsck(app, "olivia", "corpus")).toBe("");
  });

  it("still serves the repository normally afterwards", async () => {
    const dir = await commitOnTop(app, cred(owner), repo);
    await gitOk(dir, ["push", "-q", "origin", "main"]);
    expect(await fsck(app, "olivia", "corpus")).toBe("");
  });
});
