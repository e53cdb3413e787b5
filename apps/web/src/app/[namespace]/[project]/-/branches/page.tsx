import type { Metadata } from "next";
import { listProjectBranches } from "@minilab/core";
import { RefList } from "../../../../../components/repo/ref-list";
import { loadRepo, orNotFound } from "../../../../../server/repo-page";

export const metadata: Metadata = { title: "Branches" };

export default async function BranchesPage({
  params,
}: {
  params: Promise<{ namespace: string; project: string }>;
}) {
  const { namespace, project } = await params;
  const ctx = await loadRepo(namespace, project);
  const refs = await orNotFound(listProjectBranches(ctx));
  return (
    <div>
      <h2 className="mb-3 text-lg font-semibold">Branches</h2>
      <RefList base={ctx.base} refs={refs} kind="branch" defaultBranch={ctx.project.defaultBranch} />
    </div>
  );
}
