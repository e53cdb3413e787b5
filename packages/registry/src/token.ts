/**
 * Registry bearer tokens and their scopes, per Docker's token authentication
 * (https://distribution.github.io/distribution/spec/auth/token/): a client asks the token endpoint
 * for `repository:<name>:pull,push`, gets a short-lived token listing what was granted, and presents
 * it as `Authorization: Bearer` to `/v2/…`. Only minilab issues and checks these tokens, so they are
 * JWTs signed with HMAC-SHA256 and a server secret (no key distribution needed).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type RegistryAction = "pull" | "push" | "delete" | "*";

export interface AccessEntry {
  type: "repository" | "registry";
  name: string;
  actions: string[];
}

export interface RegistryTokenClaims {
  /** Username, or "" for anonymous. */
  sub: string;
  /** User id when signed in as a user. */
  uid: number | null;
  /** CI job the token was issued to (gitlab-ci-token), for "pushed by pipeline" records. */
  jid: number | null;
  access: AccessEntry[];
  iat: number;
  exp: number;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

export function signRegistryToken(claims: RegistryTokenClaims, secret: Buffer): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify({ iss: "minilab", aud: "container_registry", ...claims }));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

/** The claims of a token this server signed and that has not expired; null otherwise. */
export function verifyRegistryToken(
  token: string,
  secret: Buffer,
  now = Date.now(),
): RegistryTokenClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [head = "", body = "", sig = ""] = parts;
  const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as RegistryTokenClaims;
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) return null;
    if (!Array.isArray(claims.access)) return null;
    return claims;
  } catch {
    return null;
  }
}

/**
 * Parses `scope` query values (`repository:ns/proj:pull,push`, `registry:catalog:*`). Several may
 * be given, space-separated or as repeated parameters. Unparseable scopes are ignored (the
 * reference token server does the same: it grants what it can).
 */
export function parseScopes(values: readonly string[]): AccessEntry[] {
  const out: AccessEntry[] = [];
  for (const value of values)
    for (const scope of value.split(" ")) {
      // The name may itself contain ':' only in a port of a hostname-prefixed name; split from both ends.
      const first = scope.indexOf(":");
      const last = scope.lastIndexOf(":");
      if (first <= 0 || last === first) continue;
      const type = scope.slice(0, first);
      if (type !== "repository" && type !== "registry") continue;
      const name = scope.slice(first + 1, last);
      const actions = scope
        .slice(last + 1)
        .split(",")
        .filter((a) => a.length > 0);
      if (name && actions.length) out.push({ type, name, actions });
    }
  return out;
}

/** Whether `claims` grant `action` on repository `name` (`*` grants everything). */
export function tokenAllows(
  claims: RegistryTokenClaims,
  type: AccessEntry["type"],
  name: string,
  action: string,
): boolean {
  return claims.access.some(
    (a) => a.type === type && a.name === name && (a.actions.includes(action) || a.actions.includes("*")),
  );
}
