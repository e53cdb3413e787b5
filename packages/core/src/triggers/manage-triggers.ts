/**
 * Pipeline trigger tokens (`glptt-…`): create, list, revoke. Maintainer+ only. The value is returned
 * once, on creation; afterwards only its SHA-256 and a short prefix (for recognising it) exist.
 */
import type { Db, PipelineTrigger, Project, User } from "@minilab/db";
import { randomBase62, sha256Hex } from "../auth/secrets.ts";
import { AppError } from "../errors.ts";
import { assertManager } from "../projects/assert-manager.ts";

export const TRIGGER_TOKEN_PREFIX = "glptt-";
/** Characters of the token kept in clear for lists: the `glptt-` prefix plus four. */
const SHOWN_PREFIX_LENGTH = TRIGGER_TOKEN_PREFIX.length + 4;

export type TriggerInfo = Omit<PipelineTrigger, "tokenHash"> & {
  owner: { id: number; username: string; name: string } | null;
};

const select = {
  id: true,
  projectId: true,
  ownerId: true,
  description: true,
  tokenPrefix: true,
  lastUsedAt: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { id: true, username: true, name: true } },
} as const;

interface Base {
  db: Db;
  actor: User | null;
  project: Project;
}

export async function createTrigger({
  db,
  actor,
  project,
  description,
}: Base & { description: string }): Promise<{ token: string; trigger: TriggerInfo }> {
  await assertManager(db, actor, project);
  const text = description.trim();
  if (text.length > 255) throw new AppError("invalid_input", "description is too long (maximum is 255)");
  const token = TRIGGER_TOKEN_PREFIX + randomBase62(40);
  const trigger = await db.pipelineTrigger.create({
    data: {
      projectId: project.id,
      ownerId: actor?.id ?? null,
      description: text,
      tokenHash: sha256Hex(token),
      tokenPrefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    },
    select,
  });
  return { token, trigger };
}

export async function listTriggers({ db, actor, project }: Base): Promise<TriggerInfo[]> {
  await assertManager(db, actor, project);
  return db.pipelineTrigger.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" }, select });
}

export async function getTrigger({ db, actor, project, id }: Base & { id: number }): Promise<TriggerInfo> {
  await assertManager(db, actor, project);
  const t = await db.pipelineTrigger.findFirst({ where: { id, projectId: project.id }, select });
  if (!t) throw new AppError("not_found", "404 Trigger Not Found");
  return t;
}

/** Deleting is revoking: a token that no longer exists authenticates nothing. */
export async function revokeTrigger({ db, actor, project, id }: Base & { id: number }): Promise<void> {
  await assertManager(db, actor, project);
  const { count } = await db.pipelineTrigger.deleteMany({ where: { id, projectId: project.id } });
  if (count === 0) throw new AppError("not_found", "404 Trigger Not Found");
}

export async function updateTrigger({
  db,
  actor,
  project,
  id,
  description,
}: Base & { id: number; description: string }): Promise<TriggerInfo> {
  await assertManager(db, actor, project);
  const { count } = await db.pipelineTrigger.updateMany({
    where: { id, projectId: project.id },
    data: { description: description.trim().slice(0, 255) },
  });
  if (count === 0) throw new AppError("not_found", "404 Trigger Not Found");
  return db.pipelineTrigger.findFirstOrThrow({ where: { id }, select });
}
