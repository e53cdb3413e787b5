/**
 * GitLab REST API v4 shapes for users, personal access tokens, members, runners and CI/CD
 * variables (field names as GitLab documents them). Pure; secrets (token hashes, runner tokens,
 * password hashes) never appear.
 */
import type { ProjectVariable, User } from "@minilab/db";
import type { PersonalAccessTokenInfo } from "../auth/personal-access-token.ts";
import { coreConfig } from "../config.ts";
import type { ProjectMemberInfo } from "../projects/list-project-members.ts";
import type { RunnerSummary } from "../runners/list-runners.ts";

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

type UserRef = Pick<User, "id" | "username" | "name">;

/** GitLab's "basic user": what anyone who may see the user gets. */
export function toApiUserBasic(user: UserRef, baseUrl = coreConfig().externalUrl) {
  return {
    id: user.id,
    username: user.username,
    name: user.name || user.username,
    state: "active",
    locked: false,
    avatar_url: null,
    web_url: `${baseUrl}/${user.username}`,
  };
}

/**
 * The full user: `email` and `is_admin` only for the user themselves and admins (GitLab shows a
 * user's private fields to nobody else).
 */
export function toApiUser(user: User, viewer: User | null, baseUrl = coreConfig().externalUrl) {
  const privileged = viewer !== null && (viewer.isAdmin || viewer.id === user.id);
  return {
    ...toApiUserBasic(user, baseUrl),
    created_at: iso(user.createdAt),
    bot: false,
    ...(privileged ? { email: user.email, is_admin: user.isAdmin } : {}),
  };
}

export function toApiPersonalAccessToken(t: PersonalAccessTokenInfo, now = new Date()) {
  const expired = t.expiresAt !== null && t.expiresAt <= now;
  return {
    id: t.id,
    name: t.name,
    revoked: t.revokedAt !== null,
    created_at: iso(t.createdAt),
    description: null,
    scopes: t.scopes,
    user_id: t.userId,
    last_used_at: iso(t.lastUsedAt),
    active: t.revokedAt === null && !expired,
    expires_at: t.expiresAt ? t.expiresAt.toISOString().slice(0, 10) : null,
  };
}

export function toApiMember(m: ProjectMemberInfo, baseUrl = coreConfig().externalUrl) {
  return {
    ...toApiUserBasic({ id: m.userId, username: m.username, name: m.name }, baseUrl),
    access_level: m.accessLevel,
    created_at: iso(m.createdAt),
    expires_at: null,
  };
}

/** GitLab's runner status: online, offline, never_contacted (paused is `paused: true`). */
export function toApiRunner(r: RunnerSummary) {
  return {
    id: r.id,
    description: r.description,
    ip_address: null,
    active: r.active,
    paused: !r.active,
    is_shared: true,
    runner_type: "instance_type",
    name: r.description || `runner-${r.id}`,
    online: r.online,
    status: r.contactedAt === null ? "never_contacted" : r.online ? "online" : "offline",
  };
}

/** The single-runner shape adds the details. */
export function toApiRunnerDetails(r: RunnerSummary) {
  return {
    ...toApiRunner(r),
    tag_list: r.tags,
    run_untagged: r.runUntagged,
    locked: false,
    access_level: "not_protected",
    maximum_timeout: r.maximumTimeout,
    version: r.version,
    revision: null,
    platform: null,
    architecture: null,
    executor: r.executor,
    contacted_at: iso(r.contactedAt),
    created_at: iso(r.createdAt),
    projects: [],
    groups: [],
  };
}

/** minilab variables are all `env_var`, in every environment (`*`). */
export function toApiVariable(v: ProjectVariable) {
  return {
    variable_type: "env_var",
    key: v.key,
    value: v.value,
    protected: v.protected,
    masked: v.masked,
    hidden: false,
    raw: v.raw ?? false,
    environment_scope: "*",
    description: null,
  };
}
