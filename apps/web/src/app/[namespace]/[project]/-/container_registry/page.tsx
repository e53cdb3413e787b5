import type { Metadata } from "next";
import { Link } from "../../../../../components/link";
import { notFound } from "next/navigation";
import { coreConfig, isAppError, listProjectRegistry } from "@minilab/core";
import { getDb } from "@minilab/db";
import { shortDigest } from "@minilab/registry";
import { ActionButton } from "../../../../../components/action-button";
import { CopyField } from "../../../../../components/copy-field";
import { DataTable } from "../../../../../components/data-table";
import { loadProject, projectPath } from "../../../../../server/project";
import { Notice } from "../settings/notice";
import { deleteTagAction } from "./actions";

export const metadata: Metadata = { title: "Container registry" };

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export default async function ContainerRegistryPage({
  params,
  searchParams,
}: {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, project: path } = await params;
  const { project, user } = await loadProject(namespace, path);
  // Guests of a private project see the project but not its images (as its code): a 404 for them.
  const registry = await listProjectRegistry({ db: getDb(), user, project }).catch((e: unknown) => {
    if (isAppError(e)) notFound();
    throw e;
  });
  const { repositories, canDelete } = registry;
  const host = new URL(coreConfig().externalUrl).host;
  const image = `${host}/${project.namespace}/${project.path}`.toLowerCase();
  const base = projectPath(project);
  return (
    <div className="space-y-6">
      <div>
        <h2 className="mb-1 text-lg font-semibold">Container registry</h2>
        <p className="text-sm text-zinc-600">
          Push images with <code>docker login {host}</code> (username and a personal access token with the{" "}
          <code>write_registry</code> scope), then <code>docker push {image}[/name]:tag</code>. In CI jobs use{" "}
          <code>$CI_REGISTRY_IMAGE</code> and log in with <code>$CI_REGISTRY_USER</code> /{" "}
          <code>$CI_REGISTRY_PASSWORD</code>.
        </p>
      </div>
      <Notice search={await searchParams} />
      {repositories.length === 0 && (
        <p className="card p-6 text-sm text-zinc-600" data-testid="registry-empty">
          No container images stored for this project yet.
        </p>
      )}
      {repositories.map((repo) => (
        <section key={repo.id} className="space-y-3" data-testid="registry-repository">
          <h3 className="font-mono text-base font-semibold">{repo.path}</h3>
          {repo.tags.length === 0 ? (
            <p className="text-sm text-zinc-600">
              No tags (untagged images are removed by garbage collection).
            </p>
          ) : (
            <DataTable
              caption={`Tags of ${repo.path}`}
              testId="registry-tags"
              columns={[
                "Tag",
                "Size",
                "Digest",
                "Published",
                "Pushed by",
                { label: "Pull command" },
                ...(canDelete ? [{ label: "Actions", hidden: true }] : []),
              ]}
            >
              {repo.tags.map((t) => {
                const pull = `docker pull ${host}/${repo.path}:${t.name}`;
                return (
                  <tr key={t.id} data-testid="registry-tag">
                    <td className="px-4 py-2 font-mono font-semibold">{t.name}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{formatSize(t.size)}</td>
                    <td className="px-4 py-2 font-mono" title={t.digest}>
                      {shortDigest(t.digest)}
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      <time dateTime={t.updatedAt.toISOString()}>
                        {t.updatedAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                      </time>
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      {t.pipelineId !== null ? (
                        <Link href={`${base}/-/pipelines/${t.pipelineId}`}>pipeline #{t.pipelineId}</Link>
                      ) : (
                        (t.pushedBy ?? "—")
                      )}
                    </td>
                    <td className="min-w-72 px-4 py-2">
                      <CopyField
                        value={pull}
                        label={`Pull command for ${t.name}`}
                        testId={`pull-${t.name}`}
                      />
                    </td>
                    {canDelete && (
                      <td className="px-4 py-2 text-right">
                        <ActionButton
                          action={deleteTagAction}
                          fields={{
                            namespace: project.namespace,
                            project: project.path,
                            tag: t.id,
                            name: t.name,
                          }}
                          text="Delete"
                          label={`Delete tag ${t.name}`}
                          testId={`delete-tag-${t.name}`}
                        />
                      </td>
                    )}
                  </tr>
                );
              })}
            </DataTable>
          )}
        </section>
      ))}
    </div>
  );
}
