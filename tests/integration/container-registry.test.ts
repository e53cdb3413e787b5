/**
 * The container registry with real clients: the host engine's `docker login/push/pull` against the
 * running stack (its EXTERNAL_URL is 127.0.0.1:<port>, an insecure registry by default in dockerd),
 * cross-project pushes that mount layers, delete + garbage collection, and the refusals a user meets.
 */
import { existsSync } from "node:fs";
import http from "node:http";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@minilab/db";
import {
  createPersonalAccessToken,
  createProject,
  createUser,
  deleteRegistryTag,
  garbageCollectRegistry,
  registryStore,
} from "@minilab/core";
import { registerTestRunner } from "../../e2e/support/runner-process.ts";
import { dockerCli, type DockerCli } from "./support/docker-cli.ts";
import { git } from "./support/stack-client.ts";

const webUrl = process.env["MINILAB_WEB_URL"];

describe.runIf(webUrl && process.env["DOCKER_HOST"])("container registry", () => {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const host = webUrl ? new URL(webUrl).host : "";
  let db: Db;
  let docker: DockerCli;
  let outsider: DockerCli;
  let alice: { username: string; token: string; id: number };
  let apiToken: string;
  let bob: { username: string; token: string };
  let image: string; // host/alice/app
  let other: string; // host/alice/other/sub
  let pushedDigest: string;
  const images: string[] = [];

  /** A registry token for `scope` with Basic credentials (or anonymous). */
  async function registryToken(scope: string, creds?: { username: string; token: string }): Promise<string> {
    const res = await fetch(new URL(`/jwt/auth?service=container_registry&scope=${scope}`, webUrl), {
      headers: creds
        ? { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.token}`).toString("base64")}` }
        : {},
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function api<T>(p: string): Promise<T> {
    return JSON.parse(await apiText(p)) as T;
  }

  async function apiText(p: string): Promise<string> {
    const res = await fetch(new URL(`/api/v4${p}`, webUrl), { headers: { "PRIVATE-TOKEN": apiToken } });
    if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
    return res.text();
  }

  async function finishedPipeline(sha: string): Promise<{ id: number; status: string }> {
    const id = encodeURIComponent(`${alice.username}/app`);
    for (let i = 0; i < 1500; i++) {
      const list = await api<{ id: number; sha: string; status: string }[]>(`/projects/${id}/pipelines`);
      const p = list.find((x) => x.sha === sha);
      if (p && ["success", "failed", "canceled"].includes(p.status)) return p;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`pipeline for ${sha} did not finish`);
  }

  function v2(p: string, token: string | null, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(new URL(`/v2/${p}`, webUrl), { ...init, headers, redirect: "manual" });
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    docker = await dockerCli();
    outsider = await dockerCli();
    const a = await createUser({
      db,
      username: `reg-${suffix}`,
      email: `reg-${suffix}@example.com`,
      password: "secret-password",
    });
    const b = await createUser({
      db,
      username: `regb-${suffix}`,
      email: `regb-${suffix}@example.com`,
      password: "secret-password",
    });
    const ta = await createPersonalAccessToken({
      db,
      userId: a.id,
      name: "registry",
      scopes: ["write_registry"],
    });
    const tb = await createPersonalAccessToken({ db, userId: b.id, name: "registry", scopes: ["api"] });
    alice = { username: a.username, token: ta.token, id: a.id };
    apiToken = (
      await createPersonalAccessToken({ db, userId: a.id, name: "api", scopes: ["api", "write_repository"] })
    ).token;
    bob = { username: b.username, token: tb.token };
    await createProject({ db, owner: a, name: "app", visibility: "private" });
    await createProject({ db, owner: a, name: "other", visibility: "public" });
    image = `${host}/${a.username}/app`;
    other = `${host}/${a.username}/other/sub`;

    // A multi-layer image built locally (nothing can be pulled from the internet here).
    const ctx = await mkdtemp(path.join(tmpdir(), "minilab-registry-build-"));
    await writeFile(path.join(ctx, "a.bin"), randomBytes(256 * 1024));
    await writeFile(path.join(ctx, "b.txt"), `hello from ${suffix}\n`);
    await writeFile(
      path.join(ctx, "Dockerfile"),
      [
        "FROM minilab/busybox:latest",
        `RUN echo ${suffix} > /one.txt`,
        "COPY a.bin /a.bin",
        "RUN dd if=/dev/urandom of=/rand bs=1024 count=128 2>/dev/null",
        "COPY b.txt /b.txt",
        'CMD ["cat", "/b.txt"]',
      ].join("\n"),
    );
    await docker("build", "--network", "none", "-q", "-t", `${image}:v1`, ctx);
    images.push(`${image}:v1`);
  }, 300_000);

  afterAll(async () => {
    for (const i of images) await docker("rmi", "-f", i).catch(() => undefined);
    await db?.$disconnect();
  });

  it("answers GET /v2/ without a token with a Bearer challenge pointing at the token endpoint", async () => {
    const res = await v2("", null);
    expect(res.status).toBe(401);
    expect(res.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer realm="${new URL(webUrl!).origin}/jwt/auth",service="container_registry"`,
    );
    const body = (await res.json()) as { errors: { code: string }[] };
    expect(body.errors[0]?.code).toBe("UNAUTHORIZED");
  });

  it("logs in with username + personal access token and refuses a wrong token", async () => {
    const bad = await docker.fails("login", host, "-u", alice.username, "--password", "glpat-wrong");
    expect(bad).toMatch(/unauthorized|401/i);
    const ok = await docker("login", host, "-u", alice.username, "--password", alice.token);
    expect(ok).toContain("Login Succeeded");
  });

  it("pushes a multi-layer image and pulls it back after docker rmi", async () => {
    const out = await docker("push", `${image}:v1`);
    pushedDigest = /digest: (sha256:[a-f0-9]{64})/.exec(out)?.[1] ?? "";
    expect(pushedDigest).not.toBe("");
    const token = await registryToken(`repository:${alice.username}/app:pull`, alice);
    const tags = await v2(`${alice.username}/app/tags/list`, token);
    expect(await tags.json()).toEqual({ name: `${alice.username}/app`, tags: ["v1"] });
    const manifest = await v2(`${alice.username}/app/manifests/v1`, token, {
      headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("docker-content-digest")).toBe(pushedDigest);
    expect(manifest.headers.get("content-type")).toBe("application/vnd.docker.distribution.manifest.v2+json");
    const layers = ((await manifest.json()) as { layers: unknown[] }).layers;
    expect(layers.length).toBeGreaterThanOrEqual(5); // busybox + 4 RUN/COPY layers

    await docker("rmi", `${image}:v1`);
    await docker("pull", `${image}:v1`);
    const printed = await docker("run", "--rm", "--network", "none", `${image}:v1`);
    expect(printed.trim()).toBe(`hello from ${suffix}`);
  });

  it("mounts shared layers when the image is pushed to another project instead of uploading them again", async () => {
    await docker("tag", `${image}:v1`, `${other}:copy`);
    images.push(`${other}:copy`);
    await docker("push", `${other}:copy`);
    const token = await registryToken(`repository:${alice.username}/other/sub:pull`, alice);
    const manifest = (await (await v2(`${alice.username}/other/sub/manifests/copy`, token)).json()) as {
      layers: { digest: string }[];
    };
    const links = await db.registryRepositoryBlob.findMany({
      where: {
        repository: { path: `${alice.username}/other/sub` },
        digest: { in: manifest.layers.map((l) => l.digest) },
      },
    });
    expect(links).toHaveLength(manifest.layers.length);
    expect(links.map((l) => l.source)).toEqual(manifest.layers.map(() => "mount"));
  });

  it("refuses a push to a project the user cannot write, and lets them pull a public one", async () => {
    await outsider("login", host, "-u", bob.username, "--password", bob.token);
    await docker("tag", `${image}:v1`, `${other}:bob`);
    images.push(`${other}:bob`);
    const out = await outsider.fails("push", `${other}:bob`);
    expect(out).toMatch(/denied/i);
    await outsider("pull", `${other}:copy`);
    // Anonymous pulls of the public project work too.
    const anon = await registryToken(`repository:${alice.username}/other/sub:pull,push`);
    expect((await v2(`${alice.username}/other/sub/manifests/copy`, anon, { method: "HEAD" })).status).toBe(
      200,
    );
    const push = await v2(`${alice.username}/other/sub/blobs/uploads/`, anon, { method: "POST" });
    expect(push.status).toBe(401);
  });

  it("refuses an anonymous pull of a private image with 401 and a challenge", async () => {
    const anon = await registryToken(`repository:${alice.username}/app:pull`);
    const res = await v2(`${alice.username}/app/manifests/v1`, anon);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain(`scope="repository:${alice.username}/app:pull"`);
    const fresh = await dockerCli();
    const out = await fresh.fails("pull", `${image}:v1`);
    expect(out).toMatch(/denied|unauthorized/i);
    // Bob (signed in, not a member) gets nothing of the private project either.
    const bobs = await registryToken(`repository:${alice.username}/app:pull`, bob);
    expect((await v2(`${alice.username}/app/manifests/v1`, bobs)).status).toBe(403);
  });

  it("refuses a blob whose content does not match its digest (monolithic and chunked)", async () => {
    const token = await registryToken(`repository:${alice.username}/app:pull,push`, alice);
    const wrong = `sha256:${"0".repeat(64)}`;
    const mono = await v2(`${alice.username}/app/blobs/uploads/?digest=${wrong}`, token, {
      method: "POST",
      body: "some bytes",
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(mono.status).toBe(400);
    expect(((await mono.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe("DIGEST_INVALID");

    const start = await v2(`${alice.username}/app/blobs/uploads/`, token, { method: "POST" });
    expect(start.status).toBe(202);
    const location = start.headers.get("location")!;
    expect(start.headers.get("docker-upload-uuid")).toMatch(/^[0-9a-f-]{36}$/);
    const patch = await fetch(new URL(location, webUrl), {
      method: "PATCH",
      body: "chunk one",
      headers: { Authorization: `Bearer ${token}`, "Content-Range": "0-8" },
    });
    expect(patch.status).toBe(202);
    expect(patch.headers.get("range")).toBe("0-8");
    const put = await fetch(new URL(`${location}?digest=${wrong}`, webUrl), {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe("DIGEST_INVALID");
    const malformed = await v2(`${alice.username}/app/blobs/sha256:xyz`, token);
    expect(malformed.status).toBe(400);
  });

  it("refuses malformed, oversized and dangling manifests", async () => {
    const token = await registryToken(`repository:${alice.username}/app:pull,push`, alice);
    const put = (body: string) =>
      v2(`${alice.username}/app/manifests/bad`, token, {
        method: "PUT",
        body,
        headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
      });
    const code = async (r: Response) => ((await r.json()) as { errors: { code: string }[] }).errors[0]?.code;
    const malformed = await put("{ not json");
    expect(malformed.status).toBe(400);
    expect(await code(malformed)).toBe("MANIFEST_INVALID");
    const huge = await put(" ".repeat(5 * 1024 * 1024));
    expect(huge.status).toBe(413);
    const missing = `sha256:${"1".repeat(64)}`;
    const dangling = await put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: missing, size: 2 },
        layers: [],
      }),
    );
    expect(dangling.status).toBe(400);
    expect(await code(dangling)).toBe("MANIFEST_BLOB_UNKNOWN");
  });

  it("streams a multi-MiB blob back whole and by range, and serves OCI manifests only to clients accepting them", async () => {
    const token = await registryToken(`repository:${alice.username}/app:pull,push`, alice);
    const blob = randomBytes(3 * 1024 * 1024 + 5);
    const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
    const up = await v2(`${alice.username}/app/blobs/uploads/?digest=${digest}`, token, {
      method: "POST",
      body: blob,
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(up.status).toBe(201);
    const whole = await v2(`${alice.username}/app/blobs/${digest}`, token);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(blob.length));
    expect(Buffer.from(await whole.arrayBuffer()).equals(blob)).toBe(true);
    const part = await v2(`${alice.username}/app/blobs/${digest}`, token, {
      headers: { Range: `bytes=${1024 * 1024 - 3}-${2 * 1024 * 1024 + 3}` },
    });
    expect(part.status).toBe(206);
    expect(
      Buffer.from(await part.arrayBuffer()).equals(blob.subarray(1024 * 1024 - 3, 2 * 1024 * 1024 + 4)),
    ).toBe(true);

    const oci = "application/vnd.oci.image.manifest.v1+json";
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: oci,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest, size: blob.length },
      layers: [],
    });
    const put = await v2(`${alice.username}/app/manifests/oci`, token, {
      method: "PUT",
      body: manifest,
      headers: { "Content-Type": oci },
    });
    expect(put.status).toBe(201);
    // Like distribution: a client that does not name the OCI type gets 404, not a document it cannot read.
    const old = await v2(`${alice.username}/app/manifests/oci`, token, {
      headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(old.status).toBe(404);
    expect(((await old.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe("MANIFEST_UNKNOWN");
    const ok = await v2(`${alice.username}/app/manifests/oci`, token, {
      headers: { Accept: `application/vnd.docker.distribution.manifest.v2+json, ${oci}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe(oci);
    expect(await ok.text()).toBe(manifest);
  });

  it("keeps serving when a client breaks off a download or an upload, and the upload resumes where the bytes stopped", async () => {
    const token = await registryToken(`repository:${alice.username}/app:pull,push`, alice);
    const blob = randomBytes(8 * 1024 * 1024 + 11);
    const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
    const start = await v2(`${alice.username}/app/blobs/uploads/`, token, { method: "POST" });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get("location")!, webUrl);
    // A PATCH announcing the whole blob whose connection dies after 3 MiB.
    const sent = 3 * 1024 * 1024;
    await new Promise<void>((resolve) => {
      const req = http.request(location, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${token}`, "Content-Length": String(blob.length) },
      });
      req.on("error", () => resolve());
      req.write(blob.subarray(0, sent), () => setTimeout(() => (req.destroy(), resolve()), 300));
    });
    // The upload holds what arrived (Range), possibly a little less if the last batch was cut.
    let status: Response | undefined;
    for (let i = 0; i < 50; i++) {
      status = await fetch(location, { headers: { Authorization: `Bearer ${token}` } });
      if (status.status === 204) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status?.status).toBe(204);
    const received = Number(/^0-(\d+)$/.exec(status!.headers.get("range") ?? "")?.[1] ?? -1) + 1;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(sent);
    const rest = await fetch(location, {
      method: "PATCH",
      body: blob.subarray(received),
      headers: { Authorization: `Bearer ${token}`, "Content-Range": `${received}-${blob.length - 1}` },
    });
    expect(rest.status).toBe(202);
    const put = await fetch(new URL(`${location.pathname}?digest=${digest}`, webUrl), {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(put.status).toBe(201);

    // A download abandoned after its first bytes; the next one is whole.
    await new Promise<void>((resolve, reject) => {
      const req = http.get(new URL(`/v2/${alice.username}/app/blobs/${digest}`, webUrl), {
        headers: { Authorization: `Bearer ${token}` },
      });
      req.on("response", (res) => {
        expect(res.statusCode).toBe(200);
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", reject);
    });
    const whole = await v2(`${alice.username}/app/blobs/${digest}`, token);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(blob)).toBe(true);
  });

  it("paginates the tags list and lists the catalog the caller may see", async () => {
    const token = await registryToken(`repository:${alice.username}/other/sub:pull`, alice);
    const first = await v2(`${alice.username}/other/sub/tags/list?n=1`, token);
    expect(await first.json()).toEqual({ name: `${alice.username}/other/sub`, tags: ["copy"] });
    const catalogToken = await registryToken("registry:catalog:*", alice);
    const cat = (await (await v2("_catalog?n=1000", catalogToken)).json()) as { repositories: string[] };
    expect(cat.repositories).toEqual(
      expect.arrayContaining([`${alice.username}/app`, `${alice.username}/other/sub`]),
    );
    const bobCat = await registryToken("registry:catalog:*", bob);
    const bobs = (await (await v2("_catalog?n=1000", bobCat)).json()) as { repositories: string[] };
    expect(bobs.repositories).not.toContain(`${alice.username}/app`);
  });

  it("a pipeline job builds the repository's Dockerfile and pushes $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA", async () => {
    // A runner of our own with docker_socket on (the stack's runner does not mount the socket).
    const runnerTag = `registry-${suffix}`;
    const runner = await registerTestRunner(runnerTag, { MINILAB_RUNNER_DOCKER_SOCKET: "true" });
    runner.start();
    try {
      const work = await mkdtemp(path.join(tmpdir(), "minilab-registry-ci-"));
      await git(work, "init", "-q", "-b", "main");
      await writeFile(path.join(work, "message.txt"), `built by CI ${suffix}\n`);
      await writeFile(
        path.join(work, "Dockerfile"),
        'FROM minilab/busybox:latest\nCOPY message.txt /message.txt\nCMD ["cat", "/message.txt"]\n',
      );
      await writeFile(
        path.join(work, ".gitlab-ci.yml"),
        [
          "build-image:",
          "  image: minilab/debian:bookworm",
          `  tags: [${runnerTag}]`,
          "  script:",
          '    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"',
          '    - docker build --network none -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .',
          '    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"',
          "",
        ].join("\n"),
      );
      await git(work, "add", "-A");
      await git(work, "commit", "-q", "-m", "image");
      const remote = new URL(`/${alice.username}/app.git`, webUrl);
      remote.username = alice.username;
      remote.password = apiToken;
      await git(work, "push", "-q", remote.toString(), "HEAD:refs/heads/main");
      const sha = (await git(work, "rev-parse", "HEAD")).trim();
      const pipeline = await finishedPipeline(sha);
      const jobs = await api<{ id: number; status: string }[]>(
        `/projects/${encodeURIComponent(`${alice.username}/app`)}/pipelines/${pipeline.id}/jobs`,
      );
      const log = jobs[0]
        ? await apiText(`/projects/${encodeURIComponent(`${alice.username}/app`)}/jobs/${jobs[0].id}/trace`)
        : "";
      expect(pipeline.status, log).toBe("success");

      const ref = `${image}:${sha.slice(0, 8)}`;
      images.push(ref);
      await docker("rmi", "-f", ref).catch(() => undefined); // built by the job on this same engine
      await docker("pull", ref);
      expect((await docker("run", "--rm", "--network", "none", ref)).trim()).toBe(`built by CI ${suffix}`);
      const tag = await db.registryTag.findFirstOrThrow({
        where: { name: sha.slice(0, 8), repository: { path: `${alice.username}/app` } },
      });
      expect(tag.pipelineId).toBe(pipeline.id);
    } finally {
      await runner.stop();
    }
  }, 600_000);

  it("deletes a tag, then garbage collection removes only blobs no manifest references", async () => {
    const user = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    const project = await db.project.findFirstOrThrow({ where: { namespace: alice.username, path: "app" } });
    const tag = await db.registryTag.findFirstOrThrow({
      where: { name: "v1", repository: { path: `${alice.username}/app` } },
    });
    await deleteRegistryTag({ db, user, project, tagId: tag.id });
    const refs = await db.registryManifestReference.findMany({
      where: { manifest: { digest: pushedDigest } },
    });
    const layers = [...new Set(refs.map((r) => r.digest))];
    await garbageCollectRegistry({ db, gracePeriodMs: 0 });
    // Still referenced by the copy in the other project: kept and pullable there.
    for (const d of layers) expect(existsSync(registryStore().blobPath(d))).toBe(true);
    const otherToken = await registryToken(`repository:${alice.username}/other/sub:pull`, alice);
    expect(
      (await v2(`${alice.username}/other/sub/manifests/copy`, otherToken, { method: "HEAD" })).status,
    ).toBe(200);
    const appToken = await registryToken(`repository:${alice.username}/app:pull`, alice);
    expect((await v2(`${alice.username}/app/manifests/v1`, appToken)).status).toBe(404);
    expect((await v2(`${alice.username}/app/blobs/${layers[0]}`, appToken, { method: "HEAD" })).status).toBe(
      404,
    );

    // Deleting the last manifest by digest over the API frees every blob.
    const del = await registryToken(`repository:${alice.username}/other/sub:delete`, alice);
    expect(
      (await v2(`${alice.username}/other/sub/manifests/${pushedDigest}`, del, { method: "DELETE" })).status,
    ).toBe(202);
    const gc = await garbageCollectRegistry({ db, gracePeriodMs: 0 });
    // The busybox base layer is still used by the image the pipeline pushed; the config and the
    // four RUN/COPY layers are referenced by nothing any more and are gone, file and row.
    const kept = new Set(
      (await db.registryManifestReference.findMany({ where: { digest: { in: layers } } })).map(
        (r) => r.digest,
      ),
    );
    const freed = layers.filter((d) => !kept.has(d));
    expect(freed.length).toBeGreaterThanOrEqual(5);
    expect(gc.blobs).toBeGreaterThanOrEqual(freed.length);
    for (const d of freed) expect(existsSync(registryStore().blobPath(d))).toBe(false);
    for (const d of kept) expect(existsSync(registryStore().blobPath(d))).toBe(true);
    expect(await db.registryBlob.count({ where: { digest: { in: freed } } })).toBe(0);
  });
});
