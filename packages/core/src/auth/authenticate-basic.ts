import type { Db } from "@minilab/db";
import { authenticateAccessToken, type TokenAuth } from "./authenticate-access-token.ts";
import { findUserByLogin } from "./find-user-by-login.ts";
import { verifyAgainstDummy, verifyPassword } from "./password.ts";
import { PAT_PREFIX } from "./personal-access-token.ts";
import { TOKEN_SCOPES } from "./scopes.ts";

export interface AuthenticateBasicOptions {
  db: Db;
  /** HTTP Basic user name: a username or email. */
  username: string;
  /** The account password (grants every scope) or a personal access token of that same user. */
  password: string;
}

/** For git over HTTP and the API's Basic auth. Null on any failure; the caller answers 401. */
export async function authenticateBasic({
  db,
  username,
  password,
}: AuthenticateBasicOptions): Promise<TokenAuth | null> {
  const user = await findUserByLogin(db, username);
  if (!user) {
    await verifyAgainstDummy(password);
    return null;
  }
  if (password.startsWith(PAT_PREFIX)) {
    const auth = await authenticateAccessToken({ db, token: password });
    // A token only authenticates its own user, never whoever is named in the Basic header.
    if (auth && auth.user.id === user.id) return auth;
  }
  if (await verifyPassword(user.passwordHash, password)) return { user, scopes: [...TOKEN_SCOPES] };
  return null;
}
