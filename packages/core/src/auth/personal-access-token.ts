import type { PersonalAccessToken } from "@minilab/db";

/** What callers may see of a token: everything but its hash. */
export type PersonalAccessTokenInfo = Omit<PersonalAccessToken, "tokenHash">;

export const PAT_PREFIX = "glpat-";

export const omitTokenHash = { tokenHash: true } as const;
