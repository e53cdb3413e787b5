import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { listProjectVariables } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../../components/action-button";
import { DataTable } from "../../../../../../components/data-table";
import { loadProject, projectPath } from "../../../../../../server/project";
import { Notice } from "../notice";
import { deleteVariableAction } from "./actions";
import { RevealValue } from "./reveal-value";
import { TriggersSection } from "./triggers-section";
import { VariableForm } from "./variable-form";

export const metadata: Metadata = { title: "CI/CD settings" };

type Props = {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * Settings → CI/CD: variables and pipeline trigger tokens (webhooks have their own page).
 */
export default async function CiCdSettingsPage({ params, searchParams }: Props) {
  const { namespace, project: path } = await params;
  const search = await searchParams;
  const { project, user } = await loadProject(namespace, path);
  const variables = await listProjectVariables({ db: getDb(), actor: user, project });
  const here = `${projectPath(project)}/-/settings/ci_cd`;
  const editId = typeof search["edit"] === "string" ? Number(search["edit"]) : null;
  const editing = variables.find((v) => v.id === editId);
  return (
    <>
      <h2 className="text-xl font-semibold">CI/CD variables</h2>
      <p className="muted text-sm">
        Variables are passed to every job of this project as environment variables. They override variables of
        the same name in <span className="code">.gitlab-ci.yml</span>; variables given when a pipeline is
        triggered override them.
      </p>
      <Notice search={search} />
      {variables.length === 0 ? (
        <p className="card p-4 text-sm" data-testid="variables-empty">
          No variables yet.
        </p>
      ) : (
        <DataTable
          columns={["Key", "Value", "Flags", { label: "Actions", hidden: true }]}
          caption="CI/CD variables"
          testId="variables-table"
        >
          {variables.map((v) => (
            <tr key={v.id} data-testid={`variable-${v.key}`}>
              <td className="px-4 py-2 font-mono">{v.key}</td>
              <td className="px-4 py-2">
                <RevealValue namespace={project.namespace} path={project.path} id={v.id} k={v.key} />
              </td>
              <td className="space-x-1 px-4 py-2 text-xs">
                {v.protected && <span className="code">Protected</span>}
                {v.masked && <span className="code">Masked</span>}
                {!v.protected && !v.masked && <span className="muted">—</span>}
              </td>
              <td className="px-4 py-2 text-right whitespace-nowrap">
                <Link href={`${here}?edit=${v.id}`} className="btn px-2 py-1" aria-label={`Edit ${v.key}`}>
                  Edit
                </Link>{" "}
                <ActionButton
                  action={deleteVariableAction}
                  fields={{ namespace: project.namespace, project: project.path, id: v.id, key: v.key }}
                  text="Delete"
                  label={`Delete ${v.key}`}
                  inline
                  small
                />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {editing ? (
        <VariableForm
          key={editing.id}
          namespace={project.namespace}
          path={project.path}
          variable={editing}
          cancelHref={here}
        />
      ) : (
        <VariableForm namespace={project.namespace} path={project.path} />
      )}
      <TriggersSection project={project} user={user} />
    </>
  );
}
