/**
 * The predefined variables known before a pipeline exists (for `rules:if` outside the server: the
 * CLI, tests, the bench). The server passes its own, fuller set.
 */
export interface PredefinedInput {
  ref: string;
  tag: boolean;
  source: string;
  defaultBranch: string;
  sha?: string;
}

/** GitLab's `CI_COMMIT_REF_SLUG`: lowercase, non-alphanumerics → `-`, 63 chars, no edge dashes. */
export const refSlug = (ref: string): string =>
  ref
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");

export function predefinedForRules(input: PredefinedInput): Record<string, string> {
  const sha = input.sha ?? "0".repeat(40);
  return {
    CI: "true",
    GITLAB_CI: "true",
    CI_COMMIT_REF_NAME: input.ref,
    CI_COMMIT_REF_SLUG: refSlug(input.ref),
    ...(input.tag ? { CI_COMMIT_TAG: input.ref } : { CI_COMMIT_BRANCH: input.ref }),
    CI_COMMIT_SHA: sha,
    CI_COMMIT_SHORT_SHA: sha.slice(0, 8),
    CI_PIPELINE_SOURCE: input.source,
    CI_DEFAULT_BRANCH: input.defaultBranch,
  };
}
