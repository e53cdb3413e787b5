/**
 * Manifest validation: Docker image manifest v2 schema 2, Docker manifest list, OCI image manifest
 * and OCI image index. Pure: takes the exact bytes the client sent (the digest is over those bytes,
 * so they are stored verbatim) and returns what the manifest references, so the caller can check
 * that every blob / child manifest exists and record the references for garbage collection.
 */
import { isDigest, sha256Digest } from "./digest.ts";
import { RegistryError } from "./errors.ts";

export const MEDIA_TYPES = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
} as const;

const IMAGE_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociManifest]);
const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.dockerList, MEDIA_TYPES.ociIndex]);
export const MANIFEST_TYPES: readonly string[] = [...IMAGE_TYPES, ...INDEX_TYPES];

/** Distribution's default limit; larger manifests are refused with 413. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ManifestReference {
  digest: string;
  size: number;
  /** A blob (config or layer) of this repository, or a child manifest of an index. */
  kind: "config" | "layer" | "manifest";
}

export interface ParsedManifest {
  digest: string;
  mediaType: string;
  references: ManifestReference[];
  /** Image: config + layers; index: sum of the child manifests' declared sizes (their own bytes). */
  contentSize: number;
}

const invalid = (message: string): RegistryError => new RegistryError("MANIFEST_INVALID", message);

function descriptor(value: unknown, where: string): { digest: string; size: number; mediaType: string } {
  if (typeof value !== "object" || value === null) throw invalid(`${where} is not a descriptor`);
  const d = value as Record<string, unknown>;
  if (typeof d["digest"] !== "string" || !isDigest(d["digest"]))
    throw invalid(`${where}.digest is not a sha256 digest`);
  const size = d["size"];
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)
    throw invalid(`${where}.size is not a non-negative integer`);
  if (typeof d["mediaType"] !== "string" || d["mediaType"] === "")
    throw invalid(`${where}.mediaType is missing`);
  return { digest: d["digest"], size, mediaType: d["mediaType"] };
}

function descriptors(value: unknown, where: string): { digest: string; size: number; mediaType: string }[] {
  if (!Array.isArray(value)) throw invalid(`${where} must be an array`);
  return value.map((v, i) => descriptor(v, `${where}[${i}]`));
}

/**
 * Validates `bytes` as a manifest sent with `contentType` (the PUT's Content-Type; the body's own
 * `mediaType` wins when the header is missing or generic). Throws MANIFEST_INVALID (400) or, for
 * more than MAX_MANIFEST_BYTES, MANIFEST_INVALID with status 413.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | null): ParsedManifest {
  if (bytes.byteLength > MAX_MANIFEST_BYTES)
    throw new RegistryError("MANIFEST_INVALID", `manifest exceeds ${MAX_MANIFEST_BYTES} bytes`, {
      status: 413,
    });
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalid("manifest is not valid JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw invalid("manifest is not a JSON object");
  const m = doc as Record<string, unknown>;
  if (m["schemaVersion"] !== 2) throw invalid("only schemaVersion 2 manifests are supported");
  const header = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  const declared = typeof m["mediaType"] === "string" ? m["mediaType"] : undefined;
  const known = (t: string | undefined): t is string => t !== undefined && MANIFEST_TYPES.includes(t);
  if (known(header) && declared !== undefined && declared !== header)
    throw invalid(`mediaType ${declared} does not match Content-Type ${header}`);
  // OCI manifests may omit mediaType; tell image from index by their fields then.
  const mediaType = known(header)
    ? header
    : known(declared)
      ? declared
      : Array.isArray(m["manifests"])
        ? MEDIA_TYPES.ociIndex
        : m["config"] !== undefined
          ? MEDIA_TYPES.ociManifest
          : undefined;
  if (!mediaType) throw invalid(`unsupported manifest media type ${declared ?? header}`);

  const references: ManifestReference[] = [];
  if (IMAGE_TYPES.has(mediaType)) {
    const config = descriptor(m["config"], "config");
    references.push({ digest: config.digest, size: config.size, kind: "config" });
    for (const l of descriptors(m["layers"], "layers"))
      references.push({ digest: l.digest, size: l.size, kind: "layer" });
  } else {
    for (const c of descriptors(m["manifests"], "manifests"))
      references.push({ digest: c.digest, size: c.size, kind: "manifest" });
  }
  const contentSize = references.reduce((n, r) => n + r.size, 0);
  return { digest: sha256Digest(bytes), mediaType, references: dedupe(references), contentSize };
}

/** A manifest may list the same layer twice (identical RUN outputs); it is one reference. */
function dedupe(refs: ManifestReference[]): ManifestReference[] {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(r.digest) ? false : (seen.add(r.digest), true)));
}
