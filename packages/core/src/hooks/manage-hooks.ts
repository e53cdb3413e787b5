/**
 * Project webhooks: create, list, read, update, delete, re-enable. Maintainer+. The URL passes the
 * SSRF guard when saved (and again at every delivery). The secret token is write-only: lists carry
 * only whether one is set.
 */
import { randomUUID } from "node:crypto";
import type { Db, Project, ProjectHook, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertManager } from "../projects/assert-manager.ts";
import { getApplicationSettings } from "./application-settings.ts";
import { assertHookUrlAllowed } from "./ssrf.ts";

export type HookInfo = Omit<ProjectHook, "token"> & { tokenSet: boolean };

export interface HookInput {
  url?: string;
  /** Empty string clears it; undefined keeps the stored one. */
  token?: string;
  pushEvents?: boolean;
  tagPushEvents?: boolean;
  pipelineEvents?: boolean;
  jobEvents?: boolean;
  enableSslVerification?: boolean;
}

interface Base {
  db: Db;
  actor: User | null;
  project: Project;
}

export const toHookInfo = ({ token, ...rest }: ProjectHook): HookInfo => ({
  ...rest,
  tokenSet: token !== "",
});

async function checkedUrl(db: Db, raw: string): Promise<string> {
  if (raw.length > 2048) throw new AppError("invalid_input", "url is too long", { field: "url" });
  const { allowLocalRequestsFromWebHooks } = await getApplicationSettings(db);
  return (await assertHookUrlAllowed(raw, allowLocalRequestsFromWebHooks)).toString();
}

function flags(input: HookInput) {
  const pick = <K extends keyof HookInput>(k: K) => (input[k] === undefined ? {} : { [k]: input[k] });
  return {
    ...pick("pushEvents"),
    ...pick("tagPushEvents"),
    ...pick("pipelineEvents"),
    ...pick("jobEvents"),
    ...pick("enableSslVerification"),
  } as Partial<
    Pick<
      ProjectHook,
      "pushEvents" | "tagPushEvents" | "pipelineEvents" | "jobEvents" | "enableSslVerification"
    >
  >;
}

function checkToken(token: string | undefined): void {
  if (token !== undefined && token.length > 255)
    throw new AppError("invalid_input", "token is too long", { field: "token" });
}

export async function createHook({
  db,
  actor,
  project,
  input,
}: Base & { input: HookInput }): Promise<HookInfo> {
  await assertManager(db, actor, project);
  if (!input.url) throw new AppError("invalid_input", "url is missing", { field: "url" });
  checkToken(input.token);
  const url = await checkedUrl(db, input.url);
  const hook = await db.projectHook.create({
    data: { ...flags(input), uuid: randomUUID(), projectId: project.id, url, token: input.token ?? "" },
  });
  return toHookInfo(hook);
}

export async function listHooks({ db, actor, project }: Base): Promise<HookInfo[]> {
  await assertManager(db, actor, project);
  const hooks = await db.projectHook.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
  return hooks.map(toHookInfo);
}

export async function findHook(db: Db, project: Project, id: number): Promise<ProjectHook> {
  const hook = await db.projectHook.findFirst({ where: { id, projectId: project.id } });
  if (!hook) throw new AppError("not_found", "404 Hook Not Found");
  return hook;
}

export async function getHook({ db, actor, project, id }: Base & { id: number }): Promise<HookInfo> {
  await assertManager(db, actor, project);
  return toHookInfo(await findHook(db, project, id));
}

/** Saving a hook also re-enables it, as GitLab does: the user just looked at it and changed it. */
export async function updateHook({
  db,
  actor,
  project,
  id,
  input,
}: Base & { id: number; input: HookInput }): Promise<HookInfo> {
  await assertManager(db, actor, project);
  await findHook(db, project, id);
  checkToken(input.token);
  const url = input.url === undefined ? undefined : await checkedUrl(db, input.url);
  const hook = await db.projectHook.update({
    where: { id },
    data: {
      ...flags(input),
      ...(url === undefined ? {} : { url }),
      ...(input.token === undefined ? {} : { token: input.token }),
      ...enabled,
    },
  });
  return toHookInfo(hook);
}

/** The columns of a hook that may deliver again. */
export const enabled = {
  recentFailures: 0,
  alertStatus: "executable",
  disabledUntil: null,
  disabledReason: null,
} as const;

export async function enableHook({ db, actor, project, id }: Base & { id: number }): Promise<HookInfo> {
  await assertManager(db, actor, project);
  await findHook(db, project, id);
  return toHookInfo(await db.projectHook.update({ where: { id }, data: enabled }));
}

export async function deleteHook({ db, actor, project, id }: Base & { id: number }): Promise<void> {
  await assertManager(db, actor, project);
  await findHook(db, project, id);
  await db.projectHook.delete({ where: { id } });
}

export async function listHookDeliveries({
  db,
  actor,
  project,
  id,
  limit = 50,
}: Base & { id: number; limit?: number }) {
  await assertManager(db, actor, project);
  await findHook(db, project, id);
  return db.hookDelivery.findMany({ where: { hookId: id }, orderBy: { createdAt: "desc" }, take: limit });
}
