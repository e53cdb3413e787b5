import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { defaultBranchCommit, resolveTreeRef } from "@minilab/core";
import { loadTree, TreeView } from "../../../../../../components/repo/tree-view";
import { joinSegments, treeUrl } from "../../../../../../components/repo/urls";
import { loadRepo, orNotFound } from "../../../../../../server/repo-page";

type Params = { params: Promise<{ namespace: string; project: string; segments?: string[] }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { segments } = await params;
  return { title: `Files · ${joinSegments(segments).join("/") || "Repository"}` };
}

export default async function TreePage({ params }: Params) {
  const { namespace, project, segments } = await params;
  const ctx = await loadRepo(namespace, project);
  const segs = joinSegments(segments);
  if (segs.length === 0) {
    const head = await orNotFound(defaultBranchCommit(ctx));
    redirect(head ? treeUrl(ctx.base, ctx.project.defaultBranch) : ctx.base);
  }
  const r = await orNotFound(resolveTreeRef({ ...ctx, segments: segs }));
  const data = await orNotFound(loadTree(ctx, r.sha, r.path));
  return <TreeView ctx={ctx} base={ctx.base} refName={r.ref} path={r.path} data={data} />;
}
