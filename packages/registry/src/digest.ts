/**
 * Content digests (`<algorithm>:<hex>`). minilab stores and verifies sha256 only, as Docker and
 * every OCI client produce; any other algorithm is refused as DIGEST_INVALID.
 */
import { createHash } from "node:crypto";
import { RegistryError } from "./errors.ts";

const SHA256 = /^sha256:([a-f0-9]{64})$/;

export const isDigest = (s: string): boolean => SHA256.test(s);

/** The hex part of a valid sha256 digest; DIGEST_INVALID otherwise. */
export function digestHex(digest: string): string {
  const m = SHA256.exec(digest);
  if (!m?.[1]) throw new RegistryError("DIGEST_INVALID", `invalid digest: ${digest.slice(0, 100)}`);
  return m[1];
}

export const sha256Digest = (bytes: Uint8Array | string): string =>
  `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** Short form for display: the first 12 hex characters, as `docker images` shows ids. */
export const shortDigest = (digest: string): string => digest.replace(/^sha256:/, "").slice(0, 12);
