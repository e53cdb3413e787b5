import type { Metadata } from "next";
import { ACCESS_LEVELS } from "@minilab/core";
import { loadProject } from "../../../../../server/project";
import { renameProjectAction, updateGeneralAction } from "./actions";
import { Notice, ProjectFields } from "./notice";

type Props = {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: "General settings" };

const VISIBILITIES = [
  {
    value: "private",
    label: "Private",
    help: "Only members can see the project; reporters and up can clone.",
  },
  { value: "internal", label: "Internal", help: "Any signed-in user can see and clone the project." },
  { value: "public", label: "Public", help: "Anyone can see and clone the project." },
] as const;

export default async function GeneralSettingsPage({ params, searchParams }: Props) {
  const { namespace, project: path } = await params;
  const { project, level } = await loadProject(namespace, path);
  const isOwner = level >= ACCESS_LEVELS.owner;
  return (
    <>
      <Notice search={await searchParams} />
      <section className="card space-y-4 p-5" aria-labelledby="general-heading">
        <h2 id="general-heading" className="text-lg font-semibold">
          General
        </h2>
        <form action={updateGeneralAction} className="space-y-4">
          <ProjectFields namespace={project.namespace} path={project.path} />
          <div>
            <label htmlFor="field-name" className="label">
              Project name
            </label>
            <input id="field-name" name="name" className="input" defaultValue={project.name} required />
          </div>
          <div>
            <label htmlFor="field-description" className="label">
              Description
            </label>
            <input
              id="field-description"
              name="description"
              className="input"
              defaultValue={project.description}
            />
          </div>
          <div>
            <label htmlFor="field-build-timeout" className="label">
              Job timeout (seconds)
            </label>
            <input
              id="field-build-timeout"
              name="build_timeout"
              type="number"
              min={600}
              max={2629746}
              className="input"
              defaultValue={project.buildTimeout}
            />
            <p className="muted mt-1 text-xs">
              For jobs without <code>timeout:</code>; a runner&apos;s maximum timeout still applies.
            </p>
          </div>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="ci_separated_caches"
              defaultChecked={project.ciSeparatedCaches}
              className="mt-1 accent-brand-600"
            />
            <span>
              <span className="font-semibold">Use separate caches for protected branches</span>
              <span className="block text-zinc-600">
                Cache keys get <code>-protected</code> or <code>-non_protected</code>, so jobs of unprotected
                branches cannot change what protected branches restore.
              </span>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="public_builds"
              defaultChecked={project.publicBuilds}
              className="mt-1 accent-brand-600"
              data-testid="public-builds"
            />
            <span>
              <span className="font-semibold">Public pipelines</span>
              <span className="block text-zinc-600">
                Allow public access to pipelines and job details, including output logs. When off, only
                project members see them (on a private project, only members can anyway).
              </span>
            </span>
          </label>
          <fieldset disabled={!isOwner}>
            <legend className="label">Visibility{isOwner ? "" : " (owners only)"}</legend>
            <div className="space-y-2">
              {VISIBILITIES.map((v) => (
                <label key={v.value} className="flex items-start gap-2 text-sm">
                  <input
                    type="radio"
                    name="visibility"
                    value={v.value}
                    defaultChecked={project.visibility === v.value}
                    className="mt-1 accent-brand-600"
                  />
                  <span>
                    <span className="font-semibold">{v.label}</span>
                    <span className="block text-zinc-600">{v.help}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" className="btn btn-primary">
            Save changes
          </button>
        </form>
      </section>
      <section className="card space-y-4 p-5" aria-labelledby="path-heading">
        <h2 id="path-heading" className="text-lg font-semibold">
          Change path
        </h2>
        <p className="text-sm text-zinc-600">
          The old web and clone URLs keep working: they redirect to the new path until another project takes
          the old name.
        </p>
        <form action={renameProjectAction} className="flex items-end gap-3">
          <ProjectFields namespace={project.namespace} path={project.path} />
          <div className="flex-1">
            <label htmlFor="field-path" className="label">
              Path
            </label>
            <div className="flex items-stretch">
              <span className="inline-flex items-center rounded-l-md border border-r-0 border-zinc-300 bg-zinc-50 px-3 text-sm text-zinc-600">
                /{project.namespace}/
              </span>
              <input
                id="field-path"
                name="path"
                className="input rounded-l-none"
                defaultValue={project.path}
                required
              />
            </div>
          </div>
          <button type="submit" className="btn btn-danger">
            Change path
          </button>
        </form>
      </section>
    </>
  );
}
