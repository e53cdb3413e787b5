import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  BlobStore,
  MAX_MANIFEST_BYTES,
  MEDIA_TYPES,
  RegistryError,
  isRepositoryName,
  parseManifest,
  parseReference,
  parseScopes,
  sha256Digest,
  signRegistryToken,
  tokenAllows,
  verifyRegistryToken,
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
});
