import {
  RegistryError,
  assertRepositoryName,
  tokenAllows,
  verifyRegistryToken,
  type RegistryTokenClaims,
} from "@minilab/registry";
import { registryTokenSecret } from "./registry-store.ts";

/** The claims of a bearer token from `Authorization`, or null (missing, forged or expired). */
export function readRegistryToken(authorization: string | null): RegistryTokenClaims | null {
  const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return m?.[1] ? verifyRegistryToken(m[1], registryTokenSecret()) : null;
}

/**
 * Throws unless the token grants `action` on repository `name`: UNAUTHORIZED (401, the client
 * should get a token, or sign in) without a token or with an anonymous one, DENIED (403) for a
 * signed-in caller lacking the permission.
 */
export function requireRegistryAccess(
  claims: RegistryTokenClaims | null,
  name: string,
  action: "pull" | "push" | "delete",
): void {
  assertRepositoryName(name);
  if (claims && tokenAllows(claims, "repository", name, action)) return;
  if (!claims || claims.sub === "")
    throw new RegistryError("UNAUTHORIZED", "authentication required", {
      detail: [{ Type: "repository", Name: name, Action: action }],
    });
  throw new RegistryError("DENIED", "requested access to the resource is denied");
}
