/**
 * GitLab's predefined CI/CD variables for one job. Pure: callers pass everything in, so the exact
 * values are unit-tested. See https://docs.gitlab.com/ci/variables/predefined_variables/.
 */
import type { JobVariable } from "@minilab/contracts";

export interface PredefinedVariablesInput {
  externalUrl: string;
  project: {
    id: number;
    namespace: string;
    path: string;
    name: string;
    visibility: string;
    defaultBranch: string;
  };
  pipeline: {
    id: number;
    iid: number;
    ref: string;
    tag: boolean;
    sha: string;
    beforeSha: string;
    source: string;
    commitTitle: string;
    commitMessage: string;
    commitAuthorName: string;
    commitAuthorEmail: string;
  };
  job: { id: number; name: string; stage: string; startedAt: Date };
  user: { id: number; username: string; email: string; name: string } | null;
  /** The CI job token; masked in logs. */
  token: string;
  /** The pipeline's ref is a protected branch or tag (`CI_COMMIT_REF_PROTECTED`). @defaultValue false */
  protectedRef?: boolean;
}

/** GitLab's `CI_COMMIT_REF_SLUG` rule: lowercase, non-alphanumerics → `-`, 63 chars, no edge dashes. */
export function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

export const BUILDS_DIR = "/builds";

export const projectDir = (namespace: string, path: string): string => `${BUILDS_DIR}/${namespace}/${path}`;

export function predefinedVariables(input: PredefinedVariablesInput): JobVariable[] {
  const { externalUrl, project, pipeline, job, user, token } = input;
  const url = new URL(externalUrl);
  const protocol = url.protocol.replace(/:$/, "");
  const port = url.port || (protocol === "https" ? "443" : "80");
  const fullPath = `${project.namespace}/${project.path}`;
  const projectUrl = `${externalUrl}/${fullPath}`;
  const shortSha = pipeline.sha.slice(0, 8);
  const vars: [string, string][] = [
    ["CI", "true"],
    ["GITLAB_CI", "true"],
    ["CI_SERVER", "yes"],
    ["CI_SERVER_NAME", "minilab"],
    ["CI_SERVER_URL", externalUrl],
    ["CI_SERVER_HOST", url.hostname],
    ["CI_SERVER_PORT", port],
    ["CI_SERVER_PROTOCOL", protocol],
    ["CI_API_V4_URL", `${externalUrl}/api/v4`],
    ["CI_BUILDS_DIR", BUILDS_DIR],
    ["CI_PROJECT_ID", String(project.id)],
    ["CI_PROJECT_NAME", project.path],
    ["CI_PROJECT_TITLE", project.name],
    ["CI_PROJECT_PATH", fullPath],
    ["CI_PROJECT_PATH_SLUG", slugify(fullPath)],
    ["CI_PROJECT_NAMESPACE", project.namespace],
    ["CI_PROJECT_URL", projectUrl],
    ["CI_PROJECT_DIR", projectDir(project.namespace, project.path)],
    ["CI_PROJECT_VISIBILITY", project.visibility],
    ["CI_DEFAULT_BRANCH", project.defaultBranch],
    ["CI_REPOSITORY_URL", `${protocol}://gitlab-ci-token:${token}@${url.host}/${fullPath}.git`],
    ["CI_REGISTRY", url.host],
    ["CI_REGISTRY_IMAGE", `${url.host}/${fullPath}`.toLowerCase()],
    ["CI_REGISTRY_USER", "gitlab-ci-token"],
    ["CI_COMMIT_SHA", pipeline.sha],
    ["CI_COMMIT_SHORT_SHA", shortSha],
    ["CI_COMMIT_BEFORE_SHA", pipeline.beforeSha],
    ["CI_COMMIT_REF_NAME", pipeline.ref],
    ["CI_COMMIT_REF_SLUG", slugify(pipeline.ref)],
    ["CI_COMMIT_REF_PROTECTED", String(input.protectedRef ?? false)],
    ...(pipeline.tag
      ? [["CI_COMMIT_TAG", pipeline.ref] as [string, string]]
      : [["CI_COMMIT_BRANCH", pipeline.ref] as [string, string]]),
    ["CI_COMMIT_MESSAGE", pipeline.commitMessage],
    ["CI_COMMIT_TITLE", pipeline.commitTitle],
    ["CI_COMMIT_AUTHOR", `${pipeline.commitAuthorName} <${pipeline.commitAuthorEmail}>`],
    ["CI_PIPELINE_ID", String(pipeline.id)],
    ["CI_PIPELINE_IID", String(pipeline.iid)],
    ["CI_PIPELINE_SOURCE", pipeline.source],
    ["CI_PIPELINE_URL", `${projectUrl}/-/pipelines/${pipeline.id}`],
    ["CI_JOB_ID", String(job.id)],
    ["CI_JOB_NAME", job.name],
    ["CI_JOB_STAGE", job.stage],
    ["CI_JOB_URL", `${projectUrl}/-/jobs/${job.id}`],
    ["CI_JOB_STARTED_AT", job.startedAt.toISOString().replace(/\.\d{3}Z$/, "Z")],
    ["CI_NODE_TOTAL", "1"],
  ];
  if (user) {
    vars.push(
      ["GITLAB_USER_ID", String(user.id)],
      ["GITLAB_USER_LOGIN", user.username],
      ["GITLAB_USER_EMAIL", user.email],
      ["GITLAB_USER_NAME", user.name],
    );
  }
  const out: JobVariable[] = vars.map(([key, value]) => ({ key, value, masked: false }));
  // The token is secret: the runner masks these values in the job log.
  out.push(
    { key: "CI_JOB_TOKEN", value: token, masked: true },
    { key: "CI_REGISTRY_PASSWORD", value: token, masked: true },
  );
  return out;
}
