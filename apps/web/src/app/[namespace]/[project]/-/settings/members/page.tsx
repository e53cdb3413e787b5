import type { Metadata } from "next";
import { ACCESS_LEVELS, accessLevelName, listProjectMembers } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../../components/action-button";
import { DataTable } from "../../../../../../components/data-table";
import { loadProject } from "../../../../../../server/project";
import { addMemberAction, removeMemberAction, updateMemberAction } from "../actions";
import { Notice, ProjectFields } from "../notice";

type Props = {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: "Members" };

const ROLES = Object.values(ACCESS_LEVELS);

function RoleSelect({ id, value, max }: { id: string; value?: number; max: number }) {
  return (
    <select
      id={id}
      name="accessLevel"
      className="input w-auto"
      defaultValue={value ?? ACCESS_LEVELS.developer}
    >
      {ROLES.filter((r) => r <= max).map((r) => (
        <option key={r} value={r}>
          {accessLevelName(r)}
        </option>
      ))}
    </select>
  );
}

export default async function MembersPage({ params, searchParams }: Props) {
  const { namespace, project: path } = await params;
  const { project, level, user } = await loadProject(namespace, path);
  const members = await listProjectMembers({ db: getDb(), project });
  // Maintainers may grant up to maintainer; owners may grant owner (core enforces the same).
  const max = level >= ACCESS_LEVELS.owner ? ACCESS_LEVELS.owner : ACCESS_LEVELS.maintainer;
  return (
    <>
      <Notice search={await searchParams} />
      <section className="card space-y-4 p-5" aria-labelledby="add-member-heading">
        <h2 id="add-member-heading" className="text-lg font-semibold">
          Invite a member
        </h2>
        <form action={addMemberAction} className="flex flex-wrap items-end gap-3">
          <ProjectFields namespace={project.namespace} path={project.path} />
          <div className="min-w-48 flex-1">
            <label htmlFor="member-username" className="label">
              Username or email
            </label>
            <input id="member-username" name="username" className="input" required />
          </div>
          <div>
            <label htmlFor="member-role" className="label">
              Role
            </label>
            <RoleSelect id="member-role" max={max} />
          </div>
          <button type="submit" className="btn btn-primary">
            Invite
          </button>
        </form>
      </section>
      <section className="card p-0" aria-labelledby="members-heading">
        <h2 id="members-heading" className="border-b border-zinc-200 px-5 py-3 text-lg font-semibold">
          Members <span className="muted text-sm">({members.length})</span>
        </h2>
        <DataTable
          bare
          columns={["Account", "Role", { label: "Actions", hidden: true }]}
          caption="Project members"
          testId="members-table"
        >
          {members.map((m) => {
            const fixed = m.userId === project.ownerId;
            return (
              <tr key={m.userId}>
                <td className="px-4 py-2">
                  <span className="font-medium">{m.name}</span> <span className="muted">@{m.username}</span>
                  {m.userId === user?.id && <span className="muted"> (you)</span>}
                </td>
                <td className="px-4 py-2">
                  {fixed ? (
                    <span title="The namespace owner always has the owner role">
                      {accessLevelName(m.accessLevel)}
                    </span>
                  ) : (
                    <form action={updateMemberAction} className="flex items-center gap-2">
                      <ProjectFields namespace={project.namespace} path={project.path} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <label htmlFor={`role-${m.userId}`} className="sr-only">
                        Role of {m.username}
                      </label>
                      <RoleSelect
                        id={`role-${m.userId}`}
                        value={m.accessLevel}
                        max={Math.max(max, m.accessLevel)}
                      />
                      <button type="submit" className="btn">
                        Save
                      </button>
                    </form>
                  )}
                </td>
                <td className="px-4 py-2 text-right">
                  {!fixed && (
                    <ActionButton
                      action={removeMemberAction}
                      fields={{ namespace: project.namespace, project: project.path, userId: m.userId }}
                      text="Remove"
                      label={`Remove ${m.username}`}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </section>
    </>
  );
}
