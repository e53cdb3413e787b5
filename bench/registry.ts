/**
 * Container registry throughput: push and pull of a ~200 MB multi-layer image through minilab's
 * registry (the running stack, MINILAB_WEB_URL) and through Debian's `docker-registry`
 * (distribution 2.8, `/usr/bin/docker-registry serve`, filesystem storage, no auth) on loopback, in
 * the same run and with the same Docker engine (DOCKER_HOST).
 *
 * Two measurements per registry:
 * - `docker push` / `docker pull` end to end (what a user waits for; includes the engine's gzip on
 *   push and gunzip + extraction on pull, identical for both registries);
 * - raw protocol throughput with a streaming HTTP client: the image's layer blobs uploaded
 *   (POST + PATCH + PUT ?digest, as Docker does) to a new repository and downloaded again.
 * Prints MB/s and the ratio minilab / distribution. Goal ≥ 0.9×.
 *
 * Run: `npm run bench -- registry` (needs the apt package docker-registry; env BENCH_IMAGE_MB, default 200).
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";
import { createDb } from "@minilab/db";

const run = promisify(execFile);
const webUrl = process.env["MINILAB_WEB_URL"];
const IMAGE_MB = Number(process.env["BENCH_IMAGE_MB"] ?? 200);
const LAYERS = 4;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const docker = async (config: string, ...args: string[]): Promise<string> =>
  (
    await run("docker", ["--config", config, ...args], {
      maxBuffer: 64 << 20,
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    })
  ).stdout;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

interface Target {
  label: string;
  host: string;
  repo: string;
  /** Authorization header for the raw client, for `scope`. */
  auth(scope: string): Promise<Record<string, string>>;
}

async function rawPush(t: Target, repo: string, files: { file: string; digest: string }[]): Promise<void> {
  const headers = await t.auth(`repository:${repo}:pull,push`);
  for (const f of files) {
    const start = await fetch(`http://${t.host}/v2/${repo}/blobs/uploads/`, { method: "POST", headers });
    if (start.status !== 202) throw new Error(`${t.label}: POST upload ${start.status}`);
    const loc = new URL(start.headers.get("location")!, `http://${t.host}`);
    const patch = await fetch(loc, {
      method: "PATCH",
      headers: { ...headers, "Content-Type": "application/octet-stream" },
      body: Readable.toWeb(createReadStream(f.file)) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    if (patch.status !== 202) throw new Error(`${t.label}: PATCH ${patch.status} ${await patch.text()}`);
    const done = new URL(patch.headers.get("location")!, `http://${t.host}`);
    done.searchParams.set("digest", f.digest);
    const put = await fetch(done, { method: "PUT", headers });
    if (put.status !== 201) throw new Error(`${t.label}: PUT ${put.status} ${await put.text()}`);
  }
}

async function rawPull(t: Target, repo: string, digests: string[]): Promise<number> {
  const headers = await t.auth(`repository:${repo}:pull`);
  let bytes = 0;
  for (const d of digests) {
    const res = await fetch(`http://${t.host}/v2/${repo}/blobs/${d}`, { headers });
    if (res.status !== 200 || !res.body) throw new Error(`${t.label}: GET blob ${res.status}`);
    const hash = createHash("sha256");
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    if (`sha256:${hash.digest("hex")}` !== d) throw new Error(`${t.label}: digest mismatch`);
  }
  return bytes;
}

async function main(): Promise<void> {
  if (!webUrl) throw new Error("MINILAB_WEB_URL is not set: run through `npm run bench -- registry`");
  const tmp = await mkdtemp(path.join(tmpdir(), "minilab-bench-registry-"));
  const suffix = Date.now().toString(36);
  const config = path.join(tmp, "docker-config");

  // distribution on loopback
  const port = await freePort();
  const yml = path.join(tmp, "config.yml");
  await writeFile(
    yml,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${tmp}/distribution\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const dist = spawn("/usr/bin/docker-registry", ["serve", yml], { stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null))?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // minilab: a user, a project, a token; docker login
  const db = createDb(process.env["DATABASE_URL"] ?? "");
  const user = await createUser({
    db,
    username: `bench-${suffix}`,
    email: `bench-${suffix}@example.com`,
    password: "bench-password",
  });
  const { token } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name: "bench",
    scopes: ["write_registry"],
  });
  await createProject({ db, owner: user, name: "images" });
  await db.$disconnect();
  const mhost = new URL(webUrl).host;
  await docker(config, "login", mhost, "-u", user.username, "--password", token);
  const basic = `Basic ${Buffer.from(`${user.username}:${token}`).toString("base64")}`;
  const targets: Target[] = [
    { label: "distribution", host: `127.0.0.1:${port}`, repo: "bench/images", auth: async () => ({}) },
    {
      label: "minilab",
      host: mhost,
      repo: `${user.username}/images`,
      async auth(scope) {
        const r = await fetch(`${webUrl}/jwt/auth?service=container_registry&scope=${scope}`, {
          headers: { Authorization: basic },
        });
        return { Authorization: `Bearer ${((await r.json()) as { token: string }).token}` };
      },
    },
  ];

  // The image: FROM busybox + LAYERS layers of incompressible data.
  const ctx = path.join(tmp, "ctx");
  const perLayer = Math.round(IMAGE_MB / LAYERS);
  const dockerfile = ["FROM minilab/busybox:latest"];
  for (let i = 0; i < LAYERS; i++)
    dockerfile.push(`RUN dd if=/dev/urandom of=/layer${i} bs=1M count=${perLayer} 2>/dev/null`);
  await run("mkdir", ["-p", ctx]);
  await writeFile(path.join(ctx, "Dockerfile"), `${dockerfile.join("\n")}\n`);
  const local = `minilab-bench/registry:${suffix}`;
  await docker(config, "build", "--network", "none", "-q", "-t", local, ctx);

  const results: Record<string, Record<string, number>> = {};
  const layerFiles: { file: string; digest: string }[] = [];
  for (const t of targets) {
    const ref = `${t.host}/${t.repo}:v1`;
    await docker(config, "tag", local, ref);
    const push = await timed(() => docker(config, "push", ref));
    results[t.label] = { push };
    if (layerFiles.length === 0) {
      // The pushed (compressed) layers as files, for the raw protocol runs.
      const headers = await t.auth(`repository:${t.repo}:pull`);
      const m = (await (
        await fetch(`http://${t.host}/v2/${t.repo}/manifests/v1`, {
          headers: { ...headers, Accept: "application/vnd.docker.distribution.manifest.v2+json" },
        })
      ).json()) as { layers: { digest: string; size: number }[] };
      for (const l of m.layers) {
        const file = path.join(tmp, l.digest.slice(7));
        const res = await fetch(`http://${t.host}/v2/${t.repo}/blobs/${l.digest}`, { headers });
        await writeFile(file, Readable.fromWeb(res.body as never));
        layerFiles.push({ file, digest: l.digest });
      }
    }
  }
  let bytes = 0;
  for (const f of layerFiles) bytes += (await stat(f.file)).size;
  const mb = bytes / 1e6;

  // docker pull: remove every local copy first so all layers are downloaded.
  await docker(config, "rmi", local, ...targets.map((t) => `${t.host}/${t.repo}:v1`));
  for (const t of targets) {
    const ref = `${t.host}/${t.repo}:v1`;
    results[t.label]!["pull"] = await timed(() => docker(config, "pull", ref));
    await docker(config, "rmi", ref);
  }
  // Raw protocol: upload the layer blobs to a fresh repository, download them again.
  for (const t of targets) {
    const repo = `${t.repo}/raw`;
    results[t.label]!["rawPush"] = await timed(() => rawPush(t, repo, layerFiles));
    results[t.label]!["rawPull"] = await timed(() =>
      rawPull(
        t,
        repo,
        layerFiles.map((f) => f.digest),
      ),
    );
  }
  dist.kill();
  await rm(tmp, { recursive: true, force: true });

  const m = results["minilab"]!;
  const d = results["distribution"]!;
  console.log(`image: ${LAYERS} layers + busybox, ${mb.toFixed(1)} MB compressed (layer blobs)`);
  console.log("operation        distribution      minilab      ratio (minilab/distribution throughput)");
  for (const k of ["push", "pull", "rawPush", "rawPull"]) {
    const rate = (s: number) => `${(mb / s).toFixed(1).padStart(7)} MB/s`;
    console.log(`${k.padEnd(16)} ${rate(d[k]!)}   ${rate(m[k]!)}   ${(d[k]! / m[k]!).toFixed(2)}×`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
