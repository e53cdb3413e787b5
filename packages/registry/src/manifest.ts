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

/**
 * The manifest media types named by `Accept` headers (each may list several, comma-separated).
 * Parameters and q-values are ignored, as distribution does.
 */
export function acceptedManifestTypes(accept: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const header of accept)
    for (const part of header.split(",")) {
      const type = part.split(";")[0]?.trim().toLowerCase();
      if (type && MANIFEST_TYPES.includes(type)) out.add(type);
    }
  return out;
}

/**
 * Content negotiation of `GET|HEAD /v2/<name>/manifests/<reference>`, following distribution's
 * manifest handler (registry/handlers/manifests.go, v3):
 * - a Docker schema 2 image manifest is served whatever the client accepts (schema 1 no longer
 *   exists to convert to);
 * - an OCI image manifest or OCI index only to a client whose Accept names its type; otherwise
 *   MANIFEST_UNKNOWN (404), so an old client does not get a document it cannot parse;
 * - a Docker manifest list requested by tag from a client that does not accept lists: the list's
 *   linux/amd64 image instead (`{ platform: digest }`: the caller fetches it and checks it with
 *   {@link checkPlatformManifest}); MANIFEST_UNKNOWN when the list has none. By digest, the list
 *   itself is served: the bytes must match the digest asked for.
 */
export function negotiateManifest(
  stored: { mediaType: string; content: Uint8Array },
  accepted: ReadonlySet<string>,
  byTag: boolean,
): { serve: true } | { platform: string } {
  const t = stored.mediaType;
  if (t === MEDIA_TYPES.ociManifest && !accepted.has(t))
    throw new RegistryError(
      "MANIFEST_UNKNOWN",
      "OCI manifest found, but accept header does not support OCI manifests",
    );
  if (t === MEDIA_TYPES.ociIndex && !accepted.has(t))
    throw new RegistryError(
      "MANIFEST_UNKNOWN",
      "OCI index found, but accept header does not support OCI indexes",
    );
  if (t !== MEDIA_TYPES.dockerList || !byTag || accepted.has(t)) return { serve: true };
  let list: { manifests?: { digest?: unknown; platform?: { os?: unknown; architecture?: unknown } }[] };
  try {
    list = JSON.parse(Buffer.from(stored.content).toString("utf8")) as typeof list;
  } catch {
    list = {};
  }
  const child = (Array.isArray(list.manifests) ? list.manifests : []).find(
    (m) => m.platform?.os === "linux" && m.platform.architecture === "amd64" && typeof m.digest === "string",
  );
  if (!child) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown");
  return { platform: child.digest as string };
}

/** The platform image picked from a manifest list must itself be acceptable (distribution's rule). */
export function checkPlatformManifest(mediaType: string, accepted: ReadonlySet<string>): void {
  if (mediaType === MEDIA_TYPES.dockerManifest && !accepted.has(mediaType))
    throw new RegistryError("MANIFEST_INVALID", "Schema 2 manifest not supported by client");
}
