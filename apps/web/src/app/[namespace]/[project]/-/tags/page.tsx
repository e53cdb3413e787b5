import type { Metadata } from "next";
import { listProjectTags } from "@minilab/core";
import { RefList } from "../../../../../components/repo/ref-list";
import { loadRepo, orNotFound } from "../../../../../server/repo-page";

export const metadata: Metadata = { title: "Tags" };

export default async function TagsPage({
  params,
}: {
  params: Promise<{ namespace: string; project: string }>;
}) {
  const { namespace, project } = await params;
  const ctx = await loadRepo(namespace, project);
  const refs = await orNotFound(listProjectTags(ctx));
  return (
    <div>
      <h2 className="mb-3 text-lg font-semibold">Tags</h2>
      <RefList base={ctx.base} refs={refs} kind="tag" defaultBranch={ctx.project.defaultBranch} />
    </div>
  );
}
