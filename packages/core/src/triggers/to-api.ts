import type { TriggerInfo } from "./manage-triggers.ts";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** GitLab's trigger JSON. `token` is the full value only right after creation; a prefix afterwards. */
export function toApiTrigger(t: TriggerInfo, token?: string) {
  return {
    id: t.id,
    description: t.description,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
    last_used: iso(t.lastUsedAt),
    expires_at: null,
    token: token ?? t.tokenPrefix,
    owner: t.owner
      ? { id: t.owner.id, username: t.owner.username, name: t.owner.name, state: "active", avatar_url: null }
      : null,
  };
}
