/** Instance-wide settings (a single row, created on first write). Admins only may change them. */
import type { ApplicationSetting, Db, User } from "@minilab/db";
import { AppError } from "../errors.ts";

const DEFAULTS = { id: 1, allowLocalRequestsFromWebHooks: false } as const;

export async function getApplicationSettings(
  db: Db,
): Promise<Pick<ApplicationSetting, "allowLocalRequestsFromWebHooks">> {
  const row = await db.applicationSetting.findUnique({ where: { id: 1 } });
  return {
    allowLocalRequestsFromWebHooks:
      row?.allowLocalRequestsFromWebHooks ?? DEFAULTS.allowLocalRequestsFromWebHooks,
  };
}

export async function updateApplicationSettings({
  db,
  actor,
  allowLocalRequestsFromWebHooks,
}: {
  db: Db;
  actor: User | null;
  allowLocalRequestsFromWebHooks: boolean;
}): Promise<ApplicationSetting> {
  if (!actor) throw new AppError("unauthorized", "401 Unauthorized");
  if (!actor.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  return db.applicationSetting.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalRequestsFromWebHooks },
    update: { allowLocalRequestsFromWebHooks },
  });
}
