export { createUser, type CreateUserOptions } from "./create-user.ts";
export { authenticatePassword, type AuthenticatePasswordOptions } from "./authenticate-password.ts";
export { createSession, SESSION_TTL_MS, type CreateSessionOptions } from "./create-session.ts";
export { resolveSession, type ResolveSessionOptions } from "./resolve-session.ts";
export { deleteSession, type DeleteSessionOptions } from "./delete-session.ts";
export {
  createPersonalAccessToken,
  type CreatePersonalAccessTokenOptions,
} from "./create-personal-access-token.ts";
export {
  listPersonalAccessTokens,
  type ListPersonalAccessTokensOptions,
} from "./list-personal-access-tokens.ts";
export {
  revokePersonalAccessToken,
  type RevokePersonalAccessTokenOptions,
} from "./revoke-personal-access-token.ts";
export {
  authenticateAccessToken,
  type AuthenticateAccessTokenOptions,
  type TokenAuth,
} from "./authenticate-access-token.ts";
export { authenticateBasic, type AuthenticateBasicOptions } from "./authenticate-basic.ts";
export { PAT_PREFIX, type PersonalAccessTokenInfo } from "./personal-access-token.ts";
export { TOKEN_SCOPES, isTokenScope, type TokenScope } from "./scopes.ts";
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from "./password.ts";
export { checkPathSegment, RESERVED_NAMES } from "./names.ts";
export { sha256Hex, randomBase62 } from "./secrets.ts";
