/**
 * {@link CiLintResult} → GitLab's `Entities::Ci::Lint::Result` (`valid`, `errors`, `warnings`,
 * `merged_yaml`, `includes`, and `jobs` only when `include_jobs` is set). Errors and warnings are
 * plain messages, as GitLab sends them; the line:column stays on the web page.
 */
import type { Project } from "@minilab/db";
import { coreConfig } from "../config.ts";
import type { CiLintResult } from "./lint-ci-config.ts";

export function toApiCiLint(
  r: CiLintResult,
  project: Pick<Project, "namespace" | "path">,
  includeJobs: boolean,
  baseUrl = coreConfig().externalUrl,
) {
  const web = `${baseUrl}/${project.namespace}/${project.path}`;
  return {
    valid: r.valid,
    errors: r.errors.map((p) => p.message),
    warnings: r.warnings.map((p) => p.message),
    merged_yaml: r.valid ? r.mergedYaml : null,
    includes: r.includes.map(({ location, sha }) => ({
      type: "local",
      location,
      blob: `${web}/-/blob/${sha}/${location}`,
      raw: `${web}/-/raw/${sha}/${location}`,
      extra: {},
      context_project: `${project.namespace}/${project.path}`,
      context_sha: sha,
    })),
    ...(includeJobs
      ? {
          jobs: r.jobs.map((j) => ({
            name: j.name,
            stage: j.stage,
            before_script: j.beforeScript,
            script: j.script,
            after_script: j.afterScript,
            tag_list: j.tags,
            environment: j.environment,
            when: j.when,
            allow_failure: j.allowFailure,
            needs: j.needs === null ? null : j.needs.map((name) => ({ name })),
          })),
        }
      : {}),
  };
}
