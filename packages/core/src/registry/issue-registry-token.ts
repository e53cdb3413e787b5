import type { Db } from "@minilab/db";
import { parseScopes, signRegistryToken, type AccessEntry } from "@minilab/registry";
import { authenticateBasic } from "../auth/authenticate-basic.ts";
import { AppError } from "../errors.ts";
import { authenticateJobToken } from "../jobs/authenticate-job-token.ts";
import { ANONYMOUS, grantedActions, type RegistryCaller } from "./registry-access.ts";
import { registryTokenSecret } from "./registry-store.ts";

/** Token lifetime. Docker asks for a new one when it expires, so long pushes keep working. */
export const REGISTRY_TOKEN_TTL_SECONDS = 900;
export const JOB_TOKEN_USERNAME = "gitlab-ci-token";

export interface IssueRegistryTokenOptions {
  db: Db;
  /** HTTP Basic credentials; null for an anonymous request (pull of public projects only). */
  credentials: { username: string; password: string } | null;
  /** The `scope` query values. */
  scopes: readonly string[];
  now?: Date;
}

export interface RegistryTokenResponse {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
}

/**
 * The token endpoint (`GET /jwt/auth`): authenticates Basic credentials (username + password or
 * personal access token; `gitlab-ci-token` + a running job's token) and signs a token granting the
 * requested actions the caller holds. Bad credentials are a 401, so `docker login` fails; actions
 * the caller lacks are silently left out (the registry then answers 401/403), as Docker's reference
 * token server does.
 */
export async function issueRegistryToken({
  db,
  credentials,
  scopes,
  now = new Date(),
}: IssueRegistryTokenOptions): Promise<RegistryTokenResponse> {
  const caller = await authenticateRegistryCaller(db, credentials);
  const access: AccessEntry[] = [];
  for (const s of parseScopes(scopes)) {
    if (s.type === "registry") {
      // The catalog is filtered per caller when listed; any caller may ask for it.
      if (s.name === "catalog") access.push({ type: "registry", name: "catalog", actions: ["*"] });
      continue;
    }
    const actions = await grantedActions(db, caller, s.name, s.actions);
    access.push({ type: "repository", name: s.name, actions });
  }
  const iat = Math.floor(now.getTime() / 1000);
  const token = signRegistryToken(
    {
      sub: caller.user?.username ?? (caller.job ? JOB_TOKEN_USERNAME : ""),
      uid: caller.user?.id ?? null,
      jid: caller.job?.id ?? null,
      access,
      iat,
      exp: iat + REGISTRY_TOKEN_TTL_SECONDS,
    },
    registryTokenSecret(),
  );
  return { token, access_token: token, expires_in: REGISTRY_TOKEN_TTL_SECONDS, issued_at: now.toISOString() };
}

async function authenticateRegistryCaller(
  db: Db,
  credentials: IssueRegistryTokenOptions["credentials"],
): Promise<RegistryCaller> {
  if (!credentials) return ANONYMOUS;
  if (credentials.username === JOB_TOKEN_USERNAME) {
    const auth = await authenticateJobToken({ db, token: credentials.password });
    if (!auth) throw new AppError("unauthorized", "HTTP Basic: Access denied");
    return { user: null, scopes: null, job: { id: auth.job.id, projectId: auth.job.projectId } };
  }
  const auth = await authenticateBasic({
    db,
    username: credentials.username,
    password: credentials.password,
  });
  if (!auth) throw new AppError("unauthorized", "HTTP Basic: Access denied");
  return { user: auth.user, scopes: auth.scopes, job: null };
}
