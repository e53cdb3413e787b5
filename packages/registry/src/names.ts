/**
 * Repository names and references as the distribution spec defines them:
 * `<name>` = path components `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` joined by `/`;
 * a tag = `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`; otherwise a reference must be a digest.
 */
import { isDigest } from "./digest.ts";
import { RegistryError } from "./errors.ts";

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Distribution's limit on the whole name. */
export const MAX_NAME_LENGTH = 255;

export function isRepositoryName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  return name.split("/").every((c) => COMPONENT.test(c));
}

export function assertRepositoryName(name: string): void {
  if (!isRepositoryName(name))
    throw new RegistryError("NAME_INVALID", `invalid repository name: ${name.slice(0, 300)}`);
}

export const isTag = (s: string): boolean => TAG.test(s);

export type Reference = { kind: "tag"; tag: string } | { kind: "digest"; digest: string };

/** A manifest reference: a digest if it contains `:`, else a tag. */
export function parseReference(ref: string): Reference {
  if (ref.includes(":")) {
    if (!isDigest(ref)) throw new RegistryError("DIGEST_INVALID", `invalid digest: ${ref.slice(0, 100)}`);
    return { kind: "digest", digest: ref };
  }
  if (!isTag(ref)) throw new RegistryError("MANIFEST_INVALID", `invalid tag: ${ref.slice(0, 140)}`);
  return { kind: "tag", tag: ref };
}
