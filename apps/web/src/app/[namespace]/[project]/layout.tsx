import { Link } from "../../../components/link";
import type { ReactNode } from "react";
import { canManageProject, canPushCode } from "@minilab/core";
import { NavLink } from "../../../components/nav-link";
import { VisibilityBadge } from "../../../components/visibility";
import { Avatar } from "../../../components/top-bar";
import { loadProject, projectPath } from "../../../server/project";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ namespace: string; project: string }>;
}) {
  const { namespace, project: path } = await params;
  const { project, level } = await loadProject(namespace, path);
  const base = projectPath(project);
  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-zinc-600">
        <Link href="/" className="text-zinc-600">
          {project.namespace}
        </Link>
        <span className="mx-1.5">/</span>
        <Link href={base} className="text-zinc-900">
          {project.name}
        </Link>
      </nav>
      <div className="mb-4 flex items-center gap-3">
        <Avatar name={project.name} size={40} />
        <h1 className="page-title" data-testid="project-title">
          {project.name}
        </h1>
        <VisibilityBadge visibility={project.visibility} />
      </div>
      <nav aria-label="Project" className="mb-6 flex flex-wrap gap-x-5 gap-y-2 border-b border-zinc-200">
        <NavLink href={base} exact>
          Overview
        </NavLink>
        <NavLink href={`${base}/-/tree`} also={[`${base}/-/blob`]}>
          Files
        </NavLink>
        <NavLink href={`${base}/-/commits`} also={[`${base}/-/commit`, `${base}/-/compare`]}>
          Commits
        </NavLink>
        <NavLink href={`${base}/-/branches`}>Branches</NavLink>
        <NavLink href={`${base}/-/tags`}>Tags</NavLink>
        <NavLink href={`${base}/-/pipelines`} also={[`${base}/-/jobs`]}>
          Pipelines
        </NavLink>
        {canPushCode(level) && <NavLink href={`${base}/-/pipeline_schedules`}>Schedules</NavLink>}
        <NavLink href={`${base}/-/container_registry`}>Container registry</NavLink>
        {canManageProject(level) && <NavLink href={`${base}/-/settings`}>Settings</NavLink>}
      </nav>
      {children}
    </div>
  );
}
