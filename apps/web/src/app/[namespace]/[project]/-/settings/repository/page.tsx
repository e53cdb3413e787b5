import type { Metadata } from "next";
import { ACCESS_LEVELS, NO_ACCESS, accessLevelName, listProtectedBranches } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../../components/action-button";
import { DataTable } from "../../../../../../components/data-table";
import { loadProject } from "../../../../../../server/project";
import { protectBranchAction, unprotectBranchAction } from "../actions";
import { Notice, ProjectFields } from "../notice";

type Props = {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: "Repository settings" };

const PUSH_LEVELS = [ACCESS_LEVELS.maintainer, ACCESS_LEVELS.developer, ACCESS_LEVELS.owner, NO_ACCESS];

const PUSH_LABELS: Record<number, string> = {
  [ACCESS_LEVELS.developer]: "Developers + Maintainers",
  [ACCESS_LEVELS.maintainer]: "Maintainers",
  [ACCESS_LEVELS.owner]: "Owners",
  [NO_ACCESS]: "No one",
};
const pushLabel = (level: number): string => PUSH_LABELS[level] ?? accessLevelName(level);

export default async function RepositorySettingsPage({ params, searchParams }: Props) {
  const { namespace, project: path } = await params;
  const { project } = await loadProject(namespace, path);
  const branches = await listProtectedBranches({ db: getDb(), project });
  return (
    <>
      <Notice search={await searchParams} />
      <section className="card space-y-4 p-5" aria-labelledby="protect-heading">
        <h2 id="protect-heading" className="text-lg font-semibold">
          Protect a branch
        </h2>
        <p className="text-sm text-zinc-600">
          Protected branches refuse pushes from roles below the allowed level, refuse force pushes unless
          allowed, and can never be deleted by a push. Use <span className="code">*</span> as a wildcard, e.g.{" "}
          <span className="code">release/*</span>.
        </p>
        <form action={protectBranchAction} className="flex flex-wrap items-end gap-3">
          <ProjectFields namespace={project.namespace} path={project.path} />
          <div className="min-w-48 flex-1">
            <label htmlFor="protect-name" className="label">
              Branch
            </label>
            <input id="protect-name" name="name" className="input" required placeholder="release/*" />
          </div>
          <div>
            <label htmlFor="protect-push" className="label">
              Allowed to push
            </label>
            <select
              id="protect-push"
              name="pushAccessLevel"
              className="input w-auto"
              defaultValue={ACCESS_LEVELS.maintainer}
            >
              {PUSH_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {pushLabel(l)}
                </option>
              ))}
            </select>
          </div>
          <label className="flex items-center gap-2 pb-2 text-sm">
            <input type="checkbox" name="allowForcePush" className="accent-brand-600" />
            Allow force push
          </label>
          <button type="submit" className="btn btn-primary">
            Protect
          </button>
        </form>
      </section>
      <section className="card p-0" aria-labelledby="protected-heading">
        <h2 id="protected-heading" className="border-b border-zinc-200 px-5 py-3 text-lg font-semibold">
          Protected branches <span className="muted text-sm">({branches.length})</span>
        </h2>
        {branches.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-600">No branch is protected.</p>
        ) : (
          <DataTable
            bare
            columns={["Branch", "Allowed to push", "Force push", { label: "Actions", hidden: true }]}
            caption="Protected branches"
            testId="protected-branches"
          >
            {branches.map((b) => (
              <tr key={b.id}>
                <td className="px-4 py-2">
                  <span className="code">{b.name}</span>
                  {b.name === project.defaultBranch && <span className="muted"> default</span>}
                </td>
                <td className="px-4 py-2">{pushLabel(b.pushAccessLevel)}</td>
                <td className="px-4 py-2">{b.allowForcePush ? "Allowed" : "Not allowed"}</td>
                <td className="px-4 py-2 text-right">
                  <ActionButton
                    action={unprotectBranchAction}
                    fields={{ namespace: project.namespace, project: project.path, name: b.name }}
                    text="Unprotect"
                    label={`Unprotect ${b.name}`}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
