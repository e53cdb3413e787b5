import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { compareRefs } from "@minilab/core";
import { CommitList } from "../../../../../../components/repo/commit-list";
import { DiffView } from "../../../../../../components/repo/diff-view";
import { compareUrl, joinSegments } from "../../../../../../components/repo/urls";
import { loadRepo, orNotFound } from "../../../../../../server/repo-page";

export const metadata: Metadata = { title: "Compare" };

type Props = {
  params: Promise<{ namespace: string; project: string; spec?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** `/-/compare/<from>...<to>` (refs may contain slashes), or the form; the form GETs ?from=&to=. */
export default async function ComparePage({ params, searchParams }: Props) {
  const { namespace, project, spec } = await params;
  const ctx = await loadRepo(namespace, project);
  const q = await searchParams;
  const joined = joinSegments(spec).join("/");
  const dots = joined.indexOf("...");
  const from =
    dots >= 0 ? joined.slice(0, dots) : typeof q["from"] === "string" ? q["from"] : ctx.project.defaultBranch;
  const to = dots >= 0 ? joined.slice(dots + 3) : typeof q["to"] === "string" ? q["to"] : "";
  if (dots < 0 && from && to) redirect(compareUrl(ctx.base, from, to));
  const result = dots >= 0 && from && to ? await orNotFound(compareRefs({ ...ctx, from, to })) : null;
  return (
    <div className="space-y-5">
      <form
        method="get"
        action={`${ctx.base}/-/compare`}
        className="card flex flex-wrap items-end gap-3 p-4"
        data-testid="compare-form"
      >
        <label className="flex-1">
          <span className="label">Source (from)</span>
          <input name="from" defaultValue={from} className="input font-mono" required />
        </label>
        <span className="pb-2 font-mono text-zinc-500">...</span>
        <label className="flex-1">
          <span className="label">Target (to)</span>
          <input name="to" defaultValue={to} className="input font-mono" required />
        </label>
        <button type="submit" className="btn btn-primary">
          Compare
        </button>
      </form>
      {result && (
        <>
          <section>
            <h2 className="mb-2 text-lg font-semibold" data-testid="compare-summary">
              {result.commits.length} commit{result.commits.length === 1 ? "" : "s"} in{" "}
              <span className="code">{to}</span> not in <span className="code">{from}</span>
            </h2>
            {result.commits.length > 0 && <CommitList base={ctx.base} commits={result.commits} />}
          </section>
          <DiffView base={ctx.base} diff={result.diff} headSha={result.toSha} />
        </>
      )}
    </div>
  );
}
