import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { canManageProject } from "@minilab/core";
import { NavLink } from "../../../../../components/nav-link";
import { loadProject, projectPath } from "../../../../../server/project";

/** Settings are for maintainers and owners; everyone else gets the same 404 as a missing page. */
export default async function SettingsLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ namespace: string; project: string }>;
}) {
  const { namespace, project: path } = await params;
  const { project, level } = await loadProject(namespace, path);
  if (!canManageProject(level)) notFound();
  const base = `${projectPath(project)}/-/settings`;
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <nav aria-label="Settings" className="flex flex-col gap-2">
        <NavLink href={base} exact>
          General
        </NavLink>
        <NavLink href={`${base}/members`}>Members</NavLink>
        <NavLink href={`${base}/repository`}>Repository</NavLink>
        <NavLink href={`${base}/ci_cd`}>CI/CD</NavLink>
        <NavLink href={`${base}/webhooks`}>Webhooks</NavLink>
      </nav>
      <div className="min-w-0 space-y-6">{children}</div>
    </div>
  );
}
