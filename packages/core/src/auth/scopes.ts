import { AppError } from "../errors.ts";

/** GitLab's personal access token scopes that minilab honours. */
export const TOKEN_SCOPES = [
  "api",
  "read_api",
  "read_repository",
  "write_repository",
  "read_user",
  "read_registry",
  "write_registry",
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const isTokenScope = (s: string): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s);

export function parseScopes(scopes: readonly string[]): TokenScope[] {
  const unknown = scopes.filter((s) => !isTokenScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new AppError(
      "invalid_input",
      unknown.length ? `unknown scopes: ${unknown.join(", ")}` : "at least one scope is required",
      {
        field: "scopes",
        allowed: TOKEN_SCOPES,
      },
    );
  }
  return [...new Set(scopes)] as TokenScope[];
}
