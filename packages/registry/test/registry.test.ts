import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BlobStore,
  MAX_MANIFEST_BYTES,
  MEDIA_TYPES,
  RegistryError,
  acceptedManifestTypes,
  checkPlatformManifest,
  isRepositoryName,
  negotiateManifest,
  parseManifest,
  parseReference,
  parseScopes,
  sha256Digest,
  signRegistryToken,
  tokenAllows,
  verifyRegistryToken,
  writeFileRange,
} from "../src/index.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const d = (c: string) => `sha256:${c.repeat(64)}`;

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield enc(p);
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof RegistryError ? `${e.code} ${e.status}` : String(e);
  }
  return "no error";
}

describe("manifests", () => {
  const image = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: d("a"), size: 10 },
    layers: [
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: d("b"), size: 100 },
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: d("c"), size: 200 },
    ],
  };

  it("parses a Docker v2 schema 2 manifest into its blob references, digest over the exact bytes", () => {
    const bytes = enc(JSON.stringify(image, null, 3));
    const m = parseManifest(bytes, MEDIA_TYPES.dockerManifest);
    expect(m.digest).toBe(sha256Digest(bytes));
    expect(m.mediaType).toBe(MEDIA_TYPES.dockerManifest);
    expect(m.references.map((r) => r.kind)).toEqual(["config", "layer", "layer"]);
    expect(m.contentSize).toBe(310);
  });

  it("parses OCI manifests without mediaType and OCI indexes", () => {
    const { mediaType: _, ...oci } = image;
    expect(parseManifest(enc(JSON.stringify(oci)), null).mediaType).toBe(MEDIA_TYPES.ociManifest);
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { mediaType: MEDIA_TYPES.ociManifest, digest: d("e"), size: 500, platform: { os: "linux" } },
      ],
    };
    const m = parseManifest(enc(JSON.stringify(index)), MEDIA_TYPES.ociIndex);
    expect(m.references).toEqual([{ digest: d("e"), size: 500, kind: "manifest" }]);
  });

  it("refuses malformed, mismatched and oversized manifests", () => {
    expect(code(() => parseManifest(enc("{nope"), null))).toBe("MANIFEST_INVALID 400");
    expect(code(() => parseManifest(enc(JSON.stringify({ ...image, schemaVersion: 1 })), null))).toBe(
      "MANIFEST_INVALID 400",
    );
    expect(code(() => parseManifest(enc(JSON.stringify(image)), MEDIA_TYPES.ociManifest))).toBe(
      "MANIFEST_INVALID 400",
    );
    const badLayer = { ...image, layers: [{ mediaType: "x", digest: "md5:abc", size: 1 }] };
    expect(code(() => parseManifest(enc(JSON.stringify(badLayer)), null))).toBe("MANIFEST_INVALID 400");
    expect(code(() => parseManifest(new Uint8Array(MAX_MANIFEST_BYTES + 1), null))).toBe(
      "MANIFEST_INVALID 413",
    );
  });
});

describe("names and references", () => {
  it("follows the distribution grammar", () => {
    expect(isRepositoryName("alice/app")).toBe(true);
    expect(isRepositoryName("alice/app/sub-image.v2")).toBe(true);
    expect(isRepositoryName("Alice/app")).toBe(false);
    expect(isRepositoryName("alice//app")).toBe(false);
    expect(parseReference("v1.0")).toEqual({ kind: "tag", tag: "v1.0" });
    expect(parseReference(d("f"))).toEqual({ kind: "digest", digest: d("f") });
    expect(code(() => parseReference("sha256:short"))).toBe("DIGEST_INVALID 400");
  });
});

describe("tokens", () => {
  const secret = Buffer.from("s".repeat(32));
  const claims = {
    sub: "alice",
    uid: 1,
    jid: null,
    access: [{ type: "repository" as const, name: "alice/app", actions: ["pull"] }],
    iat: 1000,
    exp: 2000,
  };

  it("verifies its own signature and expiry, and grants only listed actions", () => {
    const t = signRegistryToken(claims, secret);
    const ok = verifyRegistryToken(t, secret, 1500_000);
    expect(ok && tokenAllows(ok, "repository", "alice/app", "pull")).toBe(true);
    expect(ok && tokenAllows(ok, "repository", "alice/app", "push")).toBe(false);
    expect(verifyRegistryToken(t, secret, 2000_000)).toBeNull();
    expect(verifyRegistryToken(t, Buffer.from("x".repeat(32)), 1500_000)).toBeNull();
    const [h, , s] = t.split(".");
    const forged = Buffer.from(
      JSON.stringify({ ...claims, access: [{ ...claims.access[0], actions: ["*"] }] }),
    ).toString("base64url");
    expect(verifyRegistryToken(`${h}.${forged}.${s}`, secret, 1500_000)).toBeNull();
  });

  it("parses scopes, space-separated or repeated", () => {
    expect(
      parseScopes(["repository:a/b:pull,push registry:catalog:*", "repository:a/c:pull", "bogus"]),
    ).toEqual([
      { type: "repository", name: "a/b", actions: ["pull", "push"] },
      { type: "registry", name: "catalog", actions: ["*"] },
      { type: "repository", name: "a/c", actions: ["pull"] },
    ]);
  });
});

describe("BlobStore", () => {
  it("stores a chunked upload under its digest once the sha256 matches", async () => {
    const store = new BlobStore({ root: await mkdtemp(path.join(tmpdir(), "registry-")) });
    const up = await store.startUpload("alice/app");
    expect(await store.append(up, chunks("hello ", "wor"), 0)).toBe(9);
    const again = await store.upload(up.id, "alice/app");
    expect(again.size).toBe(9);
    const done = await store.finish(again, sha256Digest("hello world"), chunks("ld"));
    expect(done.size).toBe(11);
    expect(await readFile(store.blobPath(done.digest), "utf8")).toBe("hello world");
    await expect(store.upload(up.id, "alice/app")).rejects.toMatchObject({ code: "BLOB_UPLOAD_UNKNOWN" });
  });

  it("re-hashes from disk when the running hash is gone (another process), and rejects a wrong digest", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "registry-"));
    const first = new BlobStore({ root });
    const up = await first.startUpload("alice/app");
    await first.append(up, chunks("abc"));
    const second = new BlobStore({ root });
    const resumed = await second.upload(up.id, "alice/app");
    expect((await second.finish(resumed, sha256Digest("abcdef"), chunks("def"))).size).toBe(6);

    const bad = await second.startUpload("alice/app");
    await expect(second.finish(bad, sha256Digest("other"), chunks("abc"))).rejects.toMatchObject({
      code: "DIGEST_INVALID",
    });
    expect(await second.size(sha256Digest("other"))).toBeNull();
  });

  it("refuses a chunk at the wrong offset, an upload of another repository, and oversized blobs", async () => {
    const store = new BlobStore({ root: await mkdtemp(path.join(tmpdir(), "registry-")), maxBlobBytes: 4 });
    const up = await store.startUpload("alice/app");
    await expect(store.append(up, chunks("x"), 3)).rejects.toMatchObject({
      code: "RANGE_INVALID",
      status: 416,
    });
    await expect(store.upload(up.id, "bob/app")).rejects.toMatchObject({ code: "BLOB_UPLOAD_UNKNOWN" });
    await expect(store.append(up, chunks("12345"))).rejects.toMatchObject({
      code: "SIZE_INVALID",
      status: 413,
    });
  });

  it("writes a multi-MiB body arriving in small chunks byte-exact, and resumes after a body that broke off", async () => {
    const store = new BlobStore({ root: await mkdtemp(path.join(tmpdir(), "registry-")) });
    const data = randomBytes(3 * 1024 * 1024 + 12345);
    async function* pieces(from: number, to: number, failAt?: number): AsyncIterable<Uint8Array> {
      for (let i = from; i < to; i += 16384) {
        if (failAt !== undefined && i >= failAt)
          throw Object.assign(new Error("aborted"), { name: "AbortError" });
        yield data.subarray(i, Math.min(i + 16384, to));
      }
    }
    const up = await store.startUpload("alice/app");
    const half = 2 * 1024 * 1024;
    expect(await store.append(up, pieces(0, half))).toBe(half);
    // A PATCH whose client went away mid-body: whatever reached the disk counts, as the next
    // request's offset (Range) tells the client; the running hash is rebuilt from the file.
    await expect(
      store.append(await store.upload(up.id, "alice/app"), pieces(half, data.length, half + 40000)),
    ).rejects.toThrow("aborted");
    const resumed = await store.upload(up.id, "alice/app");
    expect(resumed.size).toBeGreaterThanOrEqual(half);
    const done = await store.finish(resumed, sha256Digest(data), pieces(resumed.size, data.length));
    expect(done.size).toBe(data.length);
    expect((await readFile(store.blobPath(done.digest))).equals(data)).toBe(true);

    // Reads: whole blob and a range crossing a 1 MiB chunk boundary, as web streams.
    const read = async (s: ReadableStream<Uint8Array> | null): Promise<Buffer> => {
      const out: Uint8Array[] = [];
      for await (const c of s as unknown as AsyncIterable<Uint8Array>) out.push(c);
      return Buffer.concat(out);
    };
    expect((await read(await store.openStream(done.digest))).equals(data)).toBe(true);
    const range = { start: 1024 * 1024 - 7, end: 2 * 1024 * 1024 + 9 };
    expect(
      (await read(await store.openStream(done.digest, range))).equals(
        data.subarray(range.start, range.end + 1),
      ),
    ).toBe(true);
    expect(await store.openStream(sha256Digest("absent"))).toBeNull();
    expect((await stat(store.blobPath(done.digest))).size).toBe(data.length);
  });
});

describe("BlobStore with Node streams (the registry's own server path)", () => {
  const data = randomBytes(3 * 1024 * 1024 + 4321);

  /** A request-like Readable fed 16 KiB at a time, like socket chunks; optionally destroyed at `failAt`. */
  function body(from: number, to: number, failAt?: number): PassThrough {
    const s = new PassThrough({ highWaterMark: 16384 });
    void (async () => {
      for (let i = from; i < to; i += 16384) {
        if (failAt !== undefined && i >= failAt) {
          s.destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
          return;
        }
        if (!s.write(data.subarray(i, Math.min(i + 16384, to)))) await new Promise((r) => s.once("drain", r));
      }
      s.end();
    })();
    return s;
  }

  it("appends an event-driven body byte-exact (with backpressure), survives a body that broke off, and verifies the digest", async () => {
    const store = new BlobStore({ root: await mkdtemp(path.join(tmpdir(), "registry-")) });
    const up = await store.startUpload("alice/app");
    const half = 2 * 1024 * 1024 + 5;
    expect(await store.append(up, body(0, half))).toBe(half);
    await expect(
      store.append(await store.upload(up.id, "alice/app"), body(half, data.length, half + 50000)),
    ).rejects.toThrow("aborted");
    const resumed = await store.upload(up.id, "alice/app");
    expect(resumed.size).toBeGreaterThanOrEqual(half);
    // A wrong digest discards the upload and stores nothing.
    const other = await store.startUpload("alice/app");
    await expect(store.finish(other, sha256Digest("nope"), body(0, 100))).rejects.toMatchObject({
      code: "DIGEST_INVALID",
    });
    const done = await store.finish(resumed, sha256Digest(data), body(resumed.size, data.length));
    expect(done.size).toBe(data.length);
    expect((await readFile(store.blobPath(done.digest))).equals(data)).toBe(true);
  });

  it("refuses an oversized event-driven body with 413", async () => {
    const store = new BlobStore({
      root: await mkdtemp(path.join(tmpdir(), "registry-")),
      maxBlobBytes: 100_000,
    });
    const up = await store.startUpload("alice/app");
    await expect(store.append(up, body(0, 200_000))).rejects.toMatchObject({
      code: "SIZE_INVALID",
      status: 413,
    });
  });

  it("writes a stored blob (whole or a range) to a slow sink through reused buffers, and stops when the sink closes", async () => {
    const store = new BlobStore({ root: await mkdtemp(path.join(tmpdir(), "registry-")) });
    const up = await store.startUpload("alice/app");
    const { digest } = await store.finish(up, sha256Digest(data), body(0, data.length));
    /** A sink that copies each chunk after a delay (a buffer reused too early would show as corruption). */
    const sink = (): { out: Writable; bytes: () => Buffer } => {
      const got: Buffer[] = [];
      const out = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _enc, cb) {
          setTimeout(() => {
            got.push(Buffer.from(chunk));
            cb();
          }, 1);
        },
      });
      return { out, bytes: () => Buffer.concat(got) };
    };
    const whole = await store.openFile(digest);
    const a = sink();
    await writeFileRange(whole!.handle, whole!.start, whole!.end, a.out);
    await whole!.handle.close();
    expect(a.bytes().equals(data)).toBe(true);

    const range = { start: 1024 * 1024 - 3, end: 2 * 1024 * 1024 + 17 };
    const part = await store.openFile(digest, range);
    const b = sink();
    await writeFileRange(part!.handle, part!.start, part!.end, b.out);
    await part!.handle.close();
    expect(b.bytes().equals(data.subarray(range.start, range.end + 1))).toBe(true);
    expect(await store.openFile(sha256Digest("absent"))).toBeNull();

    const gone = await store.openFile(digest);
    const c = sink();
    setTimeout(() => c.out.destroy(), 5);
    await expect(writeFileRange(gone!.handle, gone!.start, gone!.end, c.out)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|ERR_STREAM_DESTROYED/) as unknown,
    });
    await gone!.handle.close();
  });
});

describe("manifest content negotiation (as distribution)", () => {
  const types = MEDIA_TYPES;
  const stored = (mediaType: string, doc: object = {}) => ({ mediaType, content: enc(JSON.stringify(doc)) });
  const list = {
    manifests: [
      { digest: d("a"), platform: { os: "linux", architecture: "arm64" } },
      { digest: d("b"), platform: { os: "linux", architecture: "amd64" } },
    ],
  };

  it("reads the accepted manifest types from Accept, ignoring parameters and other types", () => {
    expect(
      [...acceptedManifestTypes([`${types.ociManifest};q=0.5, text/html`, types.dockerList])].sort(),
    ).toEqual([types.dockerList, types.ociManifest].sort());
    expect(acceptedManifestTypes([""]).size).toBe(0);
  });

  it("serves Docker schema 2 to anyone, OCI types only to clients accepting them", () => {
    const none = acceptedManifestTypes([]);
    expect(negotiateManifest(stored(types.dockerManifest), none, true)).toEqual({ serve: true });
    const oci = () =>
      negotiateManifest(stored(types.ociManifest), acceptedManifestTypes(["application/json"]), true);
    expect(code(oci)).toBe("MANIFEST_UNKNOWN 404");
    expect(
      negotiateManifest(stored(types.ociManifest), acceptedManifestTypes([types.ociManifest]), false),
    ).toEqual({
      serve: true,
    });
    expect(
      code(() => negotiateManifest(stored(types.ociIndex), acceptedManifestTypes([types.ociManifest]), true)),
    ).toBe("MANIFEST_UNKNOWN 404");
  });

  it("answers a tag of a Docker manifest list with its linux/amd64 image for clients without list support", () => {
    const schema2Only = acceptedManifestTypes([types.dockerManifest]);
    expect(negotiateManifest(stored(types.dockerList, list), schema2Only, true)).toEqual({
      platform: d("b"),
    });
    // By digest the list itself, and to list-aware clients always.
    expect(negotiateManifest(stored(types.dockerList, list), schema2Only, false)).toEqual({ serve: true });
    expect(
      negotiateManifest(stored(types.dockerList, list), acceptedManifestTypes([types.dockerList]), true),
    ).toEqual({
      serve: true,
    });
    expect(
      code(() =>
        negotiateManifest(stored(types.dockerList, { manifests: [list.manifests[0]] }), schema2Only, true),
      ),
    ).toBe("MANIFEST_UNKNOWN 404");
    expect(code(() => checkPlatformManifest(types.dockerManifest, acceptedManifestTypes([])))).toBe(
      "MANIFEST_INVALID 400",
    );
    expect(code(() => checkPlatformManifest(types.dockerManifest, schema2Only))).toBe("no error");
  });
});
