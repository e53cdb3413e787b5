"use server";
/**
 * Project settings forms (general, members, protected branches). Each action is a transport
 * adapter: read the form → one core use-case (which checks the caller is maintainer+ itself) →
 * redirect back with a notice or the AppError's message. Works without JavaScript.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  addProjectMember,
  findProject,
  isAppError,
  protectBranch,
  removeProjectMember,
  renameProject,
  unprotectBranch,
  updateProjectMember,
  updateProjectSettings,
} from "@minilab/core";
import { getDb, type Db, type Project, type User } from "@minilab/db";
import { formText } from "../../../../../server/form-fields";
import { requireUser } from "../../../../../server/session";

type Ctx = { db: Db; actor: User; project: Project; back: string };

/** Runs `fn` for the project named by the form's hidden namespace/project fields. */
async function settingsAction(
  form: FormData,
  page: string,
  fn: (ctx: Ctx) => Promise<{ notice: string; to?: string }>,
): Promise<never> {
  const base = `/${formText(form, "namespace")}/${formText(form, "project")}`;
  const back = `${base}/-/settings${page}`;
  const actor = await requireUser(back);
  const db = getDb();
  const project = await findProject({
    db,
    ref: `${formText(form, "namespace")}/${formText(form, "project")}`,
  });
  if (!project) redirect(`${back}?error=${encodeURIComponent("project not found")}`);
  let target: string;
  try {
    const { notice, to } = await fn({ db, actor, project, back });
    revalidatePath(base, "layout");
    target = `${to ?? back}?notice=${encodeURIComponent(notice)}`;
  } catch (e) {
    // Expected refusals go back to the form; anything else is a bug for the error boundary.
    if (!isAppError(e)) throw e;
    target = `${back}?error=${encodeURIComponent(e.message)}`;
  }
  redirect(target);
}

const int = (form: FormData, key: string): number => Number(formText(form, key));

export async function updateGeneralAction(form: FormData): Promise<void> {
  await settingsAction(form, "", async ({ db, actor, project }) => {
    const visibility = formText(form, "visibility");
    const buildTimeout = formText(form, "build_timeout");
    await updateProjectSettings({
      db,
      actor,
      project,
      name: formText(form, "name"),
      description: formText(form, "description"),
      ...(visibility === "private" || visibility === "internal" || visibility === "public"
        ? { visibility }
        : {}),
      ...(buildTimeout !== "" ? { buildTimeout: Number(buildTimeout) } : {}),
      // This form always shows the checkbox, so its absence means unchecked.
      ciSeparatedCaches: form.get("ci_separated_caches") === "on",
      publicBuilds: form.get("public_builds") === "on",
    });
    return { notice: "Project settings saved." };
  });
}

export async function renameProjectAction(form: FormData): Promise<void> {
  await settingsAction(form, "", async ({ db, actor, project }) => {
    const renamed = await renameProject({ db, actor, project, path: formText(form, "path") });
    return {
      notice: `Project path changed. The old URL redirects here.`,
      to: `/${renamed.namespace}/${renamed.path}/-/settings`,
    };
  });
}

export async function addMemberAction(form: FormData): Promise<void> {
  await settingsAction(form, "/members", async ({ db, actor, project }) => {
    const m = await addProjectMember({
      db,
      actor,
      project,
      username: formText(form, "username"),
      accessLevel: int(form, "accessLevel"),
    });
    return { notice: `Member added (user #${m.userId}).` };
  });
}

export async function updateMemberAction(form: FormData): Promise<void> {
  await settingsAction(form, "/members", async ({ db, actor, project }) => {
    await updateProjectMember({
      db,
      actor,
      project,
      userId: int(form, "userId"),
      accessLevel: int(form, "accessLevel"),
    });
    return { notice: "Role updated." };
  });
}

export async function removeMemberAction(form: FormData): Promise<void> {
  await settingsAction(form, "/members", async ({ db, actor, project }) => {
    await removeProjectMember({ db, actor, project, userId: int(form, "userId") });
    return { notice: "Member removed." };
  });
}

export async function protectBranchAction(form: FormData): Promise<void> {
  await settingsAction(form, "/repository", async ({ db, actor, project }) => {
    const b = await protectBranch({
      db,
      actor,
      project,
      name: formText(form, "name"),
      pushAccessLevel: int(form, "pushAccessLevel"),
      allowForcePush: form.get("allowForcePush") === "on",
    });
    return { notice: `${b.name} is protected.` };
  });
}

export async function unprotectBranchAction(form: FormData): Promise<void> {
  await settingsAction(form, "/repository", async ({ db, actor, project }) => {
    await unprotectBranch({ db, actor, project, name: formText(form, "name") });
    return { notice: `${formText(form, "name")} is no longer protected.` };
  });
}
