import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { canPushCode, listProjectBranches, listProjectTags } from "@minilab/core";
import { getDb } from "@minilab/db";
import { loadProject, projectPath } from "../../../../../../server/project";
import { requireUser } from "../../../../../../server/session";
import { RunPipelineForm } from "./run-pipeline-form";

export const metadata: Metadata = { title: "Run pipeline" };

/** GitLab's "Run pipeline" page: pick a branch or tag, add variables, run (source `web`). */
export default async function NewPipelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, project: path } = await params;
  const { project, level } = await loadProject(namespace, path);
  const base = projectPath(project);
  const user = await requireUser(`${base}/-/pipelines/new`);
  if (!canPushCode(level)) notFound();
  const db = getDb();
  const [branches, tags] = await Promise.all([
    listProjectBranches({ db, user, project }),
    listProjectTags({ db, user, project }),
  ]);
  const wanted = (await searchParams)["ref"];
  const names = branches.map((b) => b.name);
  const initialRef =
    typeof wanted === "string" && (names.includes(wanted) || tags.some((t) => t.name === wanted))
      ? wanted
      : names.includes(project.defaultBranch)
        ? project.defaultBranch
        : (names[0] ?? tags[0]?.name ?? "");
  return (
    <div className="max-w-3xl">
      <h2 className="mb-1 text-xl font-semibold">Run pipeline</h2>
      <p className="muted mb-4 text-sm">
        Runs the <span className="code">.gitlab-ci.yml</span> of the chosen branch or tag. Variables given
        here override those of the configuration and of the project settings.
      </p>
      {branches.length + tags.length === 0 ? (
        <p className="card p-6" data-testid="run-pipeline-empty">
          The repository is empty: push a commit first.
        </p>
      ) : (
        <RunPipelineForm
          namespace={project.namespace}
          path={project.path}
          branches={names}
          tags={tags.map((t) => t.name)}
          initialRef={initialRef}
          cancelHref={`${base}/-/pipelines`}
        />
      )}
    </div>
  );
}
