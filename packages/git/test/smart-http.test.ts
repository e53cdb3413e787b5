import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBareRepo, repoDir } from "../src/index.ts";
import { ZERO, git, gitOk, startServer, type TestServer } from "./helpers.ts";

let srv: TestServer;
let work: string;
let remote: string;
let bare: string;
let work2: string;

/** The ref updates reported by the most recent receive-pack. */
function lastPush() {
  const pushes = srv.rpcs.filter((r) => r.service === "git-receive-pack");
  return pushes[pushes.length - 1];
}

async function commit(dir: string, file: string, content: string): Promise<string> {
  await writeFile(join(dir, file), content);
  await gitOk(dir, ["add", file]);
  await gitOk(dir, ["commit", "-q", "-m", `change ${file}`]);
  return gitOk(dir, ["rev-parse", "HEAD"]);
}

beforeAll(async () => {
  srv = await startServer();
  bare = repoDir(srv.root, "acme", "widgets");
  await initBareRepo(bare);
  remote = `${srv.url}/acme/widgets.git`;
  work = await mkdtemp(join(tmpdir(), "minilab-git-test-work-"));
  await gitOk(work, ["init", "-q", "-b", "main", "."]);
  await gitOk(work, ["remote", "add", "origin", remote]);
});

afterAll(async () => {
  await srv?.close();
  await rm(work, { recursive: true, force: true });
  if (work2) await rm(work2, { recursive: true, force: true });
});

// The cases build on each other (one repository, one history), so they run in order.
describe("smart HTTP against the git CLI", () => {
  let main1 = "";

  it("pushes the first commit to an empty repo and reports a create", async () => {
    main1 = await commit(work, "README.md", "hello\n");
    await gitOk(work, ["push", "-q", "origin", "main"]);
    expect(lastPush()).toMatchObject({
      code: 0,
      refUpdates: [{ ref: "refs/heads/main", oldSha: ZERO, newSha: main1 }],
    });
    expect(await gitOk(bare, ["rev-parse", "main"])).toBe(main1);
  });

  it("clones (with and without .git in the URL)", async () => {
    work2 = await mkdtemp(join(tmpdir(), "minilab-git-test-clone-"));
    await gitOk(work2, ["clone", "-q", remote, "a"]);
    expect(await gitOk(join(work2, "a"), ["rev-parse", "HEAD"])).toBe(main1);
    await gitOk(work2, ["clone", "-q", `${srv.url}/acme/widgets`, "b"]);
    expect(await gitOk(join(work2, "b"), ["show", "HEAD:README.md"])).toBe("hello");
    // Fetches never report ref updates.
    expect(
      srv.rpcs.filter((r) => r.service === "git-upload-pack").every((r) => r.refUpdates.length === 0),
    ).toBe(true);
  });

  it("pushes a new branch", async () => {
    await gitOk(work, ["checkout", "-q", "-b", "feature"]);
    const f = await commit(work, "feature.txt", "f\n");
    await gitOk(work, ["push", "-q", "origin", "feature"]);
    expect(lastPush()?.refUpdates).toEqual([{ ref: "refs/heads/feature", oldSha: ZERO, newSha: f }]);
  });

  it("reports every ref of a multi-ref push", async () => {
    const f2 = await commit(work, "feature.txt", "f2\n");
    const feature1 = await gitOk(work, ["rev-parse", "HEAD~1"]);
    await gitOk(work, ["tag", "v1.0.0"]); // lightweight tag → points at the commit
    await gitOk(work, ["push", "-q", "origin", "feature", "refs/tags/v1.0.0"]);
    const updates = lastPush()?.refUpdates ?? [];
    expect([...updates].sort((a, b) => a.ref.localeCompare(b.ref))).toEqual([
      { ref: "refs/heads/feature", oldSha: feature1, newSha: f2 },
      { ref: "refs/tags/v1.0.0", oldSha: ZERO, newSha: f2 },
    ]);
  });

  it("refuses a non-fast-forward push without force; the remote ref is unchanged", async () => {
    const before = await gitOk(bare, ["rev-parse", "feature"]);
    await gitOk(work, ["reset", "-q", "--hard", "HEAD~1"]);
    await commit(work, "other.txt", "diverged\n");
    const r = await git(work, ["push", "origin", "feature"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/rejected|non-fast-forward|fetch first/);
    expect(await gitOk(bare, ["rev-parse", "feature"])).toBe(before);
  });

  it("server-side rejection (receive.denyNonFastForwards) yields no ref update", async () => {
    await gitOk(bare, ["config", "receive.denyNonFastForwards", "true"]);
    try {
      const before = await gitOk(bare, ["rev-parse", "feature"]);
      const pushesBefore = srv.rpcs.filter((r) => r.service === "git-receive-pack").length;
      const r = await git(work, ["push", "--force", "origin", "feature"]);
      expect(r.code).not.toBe(0);
      const pushes = srv.rpcs.filter((r) => r.service === "git-receive-pack");
      expect(pushes.length).toBe(pushesBefore + 1); // git really asked the server…
      expect(lastPush()?.refUpdates).toEqual([]); // …and the server applied nothing
      expect(await gitOk(bare, ["rev-parse", "feature"])).toBe(before);
    } finally {
      await gitOk(bare, ["config", "--unset", "receive.denyNonFastForwards"]);
    }
  });

  it("reports only the accepted half of a partially rejected push", async () => {
    await gitOk(bare, ["config", "receive.denyDeletes", "true"]);
    try {
      const before = await gitOk(bare, ["rev-parse", "main"]);
      await gitOk(work, ["checkout", "-q", "main"]);
      const next = await commit(work, "partial.txt", "p\n");
      // denyDeletes only guards branches, so the delete of `feature` is refused while main advances.
      const r = await git(work, ["push", "origin", "main", ":refs/heads/feature"]);
      expect(r.code).not.toBe(0); // one ref failed
      expect(lastPush()?.refUpdates).toEqual([{ ref: "refs/heads/main", oldSha: before, newSha: next }]);
      expect((await git(bare, ["rev-parse", "--verify", "--quiet", "refs/heads/feature"])).code).toBe(0);
    } finally {
      await gitOk(bare, ["config", "--unset", "receive.denyDeletes"]);
      await gitOk(work, ["checkout", "-q", "feature"]);
    }
  });

  it("force-pushes and reports old → new exactly", async () => {
    const before = await gitOk(bare, ["rev-parse", "feature"]);
    const head = await gitOk(work, ["rev-parse", "HEAD"]);
    await gitOk(work, ["push", "-q", "--force", "origin", "feature"]);
    expect(lastPush()?.refUpdates).toEqual([{ ref: "refs/heads/feature", oldSha: before, newSha: head }]);
  });

  it("deletes a branch and reports a zero new sha", async () => {
    const before = await gitOk(bare, ["rev-parse", "feature"]);
    await gitOk(work, ["push", "-q", "origin", "--delete", "feature"]);
    expect(lastPush()?.refUpdates).toEqual([{ ref: "refs/heads/feature", oldSha: before, newSha: ZERO }]);
    expect((await git(bare, ["rev-parse", "--verify", "--quiet", "refs/heads/feature"])).code).not.toBe(0);
  });

  it("serves a shallow clone (--depth 1)", async () => {
    await gitOk(work, ["checkout", "-q", "main"]);
    await commit(work, "second.txt", "2\n");
    await gitOk(work, ["push", "-q", "origin", "main"]);
    await gitOk(work2, ["clone", "-q", "--depth", "1", remote, "shallow"]);
    const dir = join(work2, "shallow");
    expect(await gitOk(dir, ["rev-list", "--count", "HEAD"])).toBe("1");
    expect(await gitOk(dir, ["rev-parse", "--is-shallow-repository"])).toBe("true");
  });

  it("serves a partial clone (--filter=blob:none): blobs arrive only on checkout", async () => {
    const r = await git(work2, ["clone", "-q", "--no-checkout", "--filter=blob:none", remote, "partial"]);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(work2, "partial");
    expect(await gitOk(dir, ["config", "remote.origin.partialclonefilter"])).toBe("blob:none");
    // Without checkout no blob is local: listing missing objects names the files' blobs.
    const missing = await gitOk(dir, ["rev-list", "--objects", "--missing=print", "HEAD"]);
    expect(missing).toMatch(/^\?[0-9a-f]{40}$/m);
    await gitOk(dir, ["checkout", "-q", "main"]);
    expect(await gitOk(dir, ["show", "HEAD:second.txt"])).toBe("2");
  });

  it("speaks protocol v2 when the client asks for it", async () => {
    const r = await git(work, ["-c", "protocol.version=2", "ls-remote", remote], { GIT_TRACE_PACKET: "1" });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/< version 2/);
    expect(r.stdout).toContain(`${await gitOk(bare, ["rev-parse", "main"])}\trefs/heads/main`);
    expect(r.stdout).toContain("refs/tags/v1.0.0");
    // and v0 still works (advertisement carries the # service= preamble)
    const v0 = await git(work, ["-c", "protocol.version=0", "ls-remote", remote]);
    expect(v0.code).toBe(0);
    expect(v0.stdout).toContain("refs/heads/main");
  });
});
