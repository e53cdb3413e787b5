/** Reading server-action forms. */
import { redirect } from "next/navigation";
import { findProject } from "@minilab/core";
import { getDb, type Db, type Project, type User } from "@minilab/db";
import { requireUser } from "./session";

/** A text field of the form; "" when it is absent or a file. */
export const formText = (form: FormData, key: string): string => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

/**
 * What a project form's action needs, from the hidden namespace/project fields: the signed-in actor
 * (else to sign-in, back to `/<ns>/<project>/-/<page>`), the project (else to its URL, which 404s),
 * and that page's path as `list`.
 */
export async function projectFormContext(
  form: FormData,
  page: string,
): Promise<{ db: Db; actor: User; project: Project; list: string }> {
  const ns = formText(form, "namespace");
  const path = formText(form, "project");
  const list = `/${ns}/${path}/-/${page}`;
  const actor = await requireUser(list);
  const db = getDb();
  const project = await findProject({ db, ref: `${ns}/${path}` });
  if (!project) redirect(`/${ns}/${path}`);
  return { db, actor, project, list };
}
