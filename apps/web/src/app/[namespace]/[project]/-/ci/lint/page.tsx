import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { redirect } from "next/navigation";
import {
  canPushCode,
  isAppError,
  lintProjectCiConfig,
  listProjectBranches,
  listProjectTags,
} from "@minilab/core";
import { getDb } from "@minilab/db";
import { loadProject, projectPath } from "../../../../../../server/project";
import { signInPath } from "../../../../../../server/session";
import type { LintFormState } from "./actions";
import { LintForm } from "./lint-form";

export const metadata: Metadata = { title: "CI Lint" };

/**
 * CI lint (GitLab's `/-/ci/lint`): paste YAML and validate it, or load the project's `.gitlab-ci.yml`
 * at a branch or tag (`?ref=`), which is validated straight away. Developer+, as GitLab
 * (create_pipeline); others are told why they cannot use it.
 */
export default async function CiLintPage({
  params,
  searchParams,
}: {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, project: path } = await params;
  const { project, user, level } = await loadProject(namespace, path);
  const base = projectPath(project);
  if (!user) redirect(signInPath(`${base}/-/ci/lint`));
  const header = (
    <div className="mb-4 flex items-center justify-between">
      <h2 className="text-xl font-semibold">Validate your GitLab CI configuration</h2>
      <Link href={`${base}/-/pipelines`} className="btn">
        Pipelines
      </Link>
    </div>
  );
  if (!canPushCode(level)) {
    return (
      <div>
        {header}
        <p role="alert" className="card px-6 py-8 text-center" data-testid="lint-forbidden">
          You need at least the Developer role in this project to use CI Lint.
        </p>
      </div>
    );
  }

  const db = getDb();
  const ctx = { db, user, project };
  const [branches, tags] = await Promise.all([listProjectBranches(ctx), listProjectTags(ctx)]);
  const branchNames = branches.map((b) => b.name);
  const refs = [
    ...(branchNames.includes(project.defaultBranch) ? [project.defaultBranch] : []),
    ...branchNames.filter((b) => b !== project.defaultBranch),
    ...tags.map((t) => t.name),
  ];
  const query = await searchParams;
  const asked = typeof query["ref"] === "string" ? query["ref"].trim() : "";
  const loadRef = refs.includes(asked) ? asked : null;
  let initial: LintFormState = { content: "", ref: refs[0] ?? "", dryRun: false };
  let loadError: string | null = asked && !loadRef ? `Unknown branch or tag ${asked}.` : null;
  if (loadRef) {
    try {
      const r = await lintProjectCiConfig({ ...ctx, contentRef: loadRef });
      initial = { content: r.content ?? "", ref: loadRef, dryRun: false, result: r };
      if (r.content === null) loadError = `There is no .gitlab-ci.yml at ${loadRef}.`;
    } catch (e) {
      if (!isAppError(e)) throw e;
      loadError = e.message;
    }
  }

  return (
    <div>
      {header}
      <p className="muted mb-4 text-sm">
        Checks syntax and keywords the way a pipeline would see them: <span className="code">include</span>{" "}
        and <span className="code">rules:exists</span> read the repository at the chosen ref. Simulating a
        pipeline also evaluates <span className="code">rules</span> for that ref.
      </p>
      {refs.length > 0 && (
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Load from a ref">
          <div>
            <label htmlFor="ci-lint-load-ref" className="label">
              Load .gitlab-ci.yml from
            </label>
            <select id="ci-lint-load-ref" name="ref" className="input" defaultValue={loadRef ?? refs[0]}>
              {refs.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn" data-testid="lint-load">
            Load and validate
          </button>
        </form>
      )}
      {loadError && (
        <p role="alert" className="notice-warn mb-4 rounded-md border p-3" data-testid="lint-load-error">
          {loadError}
        </p>
      )}
      <LintForm
        key={loadRef ?? ""}
        namespace={project.namespace}
        project={project.path}
        refs={refs}
        initial={initial}
      />
    </div>
  );
}
