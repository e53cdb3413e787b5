import { describe, expect, it } from "vitest";
import { predefinedVariables, slugify, type PredefinedVariablesInput } from "@minilab/core";

const input = (over: Partial<PredefinedVariablesInput["pipeline"]> = {}): PredefinedVariablesInput => ({
  externalUrl: "https://ci.example.com:8443",
  project: {
    id: 7,
    namespace: "ada",
    path: "my-calc",
    name: "My Calc",
    visibility: "private",
    defaultBranch: "main",
  },
  pipeline: {
    id: 42,
    iid: 3,
    ref: "feature/Add_Thing",
    tag: false,
    sha: "0123456789abcdef0123456789abcdef01234567",
    beforeSha: "0".repeat(40),
    source: "push",
    commitTitle: "Add thing",
    commitMessage: "Add thing\n\nBecause.",
    commitAuthorName: "Ada",
    commitAuthorEmail: "ada@example.com",
    ...over,
  },
  job: { id: 99, name: "unit tests", stage: "test", startedAt: new Date("2025-01-02T03:04:05.678Z") },
  user: { id: 1, username: "ada", email: "ada@example.com", name: "Ada L" },
  token: "glcbt-secret",
});

const asMap = (i: PredefinedVariablesInput) => new Map(predefinedVariables(i).map((v) => [v.key, v]));

describe("predefinedVariables", () => {
  it("describes commit, pipeline, job, project and server like GitLab", () => {
    const v = asMap(input());
    const value = (k: string) => v.get(k)?.value;
    expect(value("CI")).toBe("true");
    expect(value("CI_COMMIT_SHORT_SHA")).toBe("01234567");
    expect(value("CI_COMMIT_REF_SLUG")).toBe("feature-add-thing");
    expect(value("CI_COMMIT_BRANCH")).toBe("feature/Add_Thing");
    expect(v.has("CI_COMMIT_TAG")).toBe(false);
    expect(value("CI_PIPELINE_URL")).toBe("https://ci.example.com:8443/ada/my-calc/-/pipelines/42");
    expect(value("CI_JOB_URL")).toBe("https://ci.example.com:8443/ada/my-calc/-/jobs/99");
    expect(value("CI_JOB_STARTED_AT")).toBe("2025-01-02T03:04:05Z");
    expect(value("CI_PROJECT_DIR")).toBe("/builds/ada/my-calc");
    expect(value("CI_PROJECT_PATH_SLUG")).toBe("ada-my-calc");
    expect(value("CI_REPOSITORY_URL")).toBe(
      "https://gitlab-ci-token:glcbt-secret@ci.example.com:8443/ada/my-calc.git",
    );
    expect([value("CI_SERVER_HOST"), value("CI_SERVER_PORT"), value("CI_SERVER_PROTOCOL")]).toEqual([
      "ci.example.com",
      "8443",
      "https",
    ]);
    expect(value("CI_API_V4_URL")).toBe("https://ci.example.com:8443/api/v4");
    expect(value("CI_REGISTRY_IMAGE")).toBe("ci.example.com:8443/ada/my-calc");
    expect(value("CI_NODE_TOTAL")).toBe("1");
    expect(value("GITLAB_USER_EMAIL")).toBe("ada@example.com");
    expect(v.get("CI_JOB_TOKEN")).toEqual({ key: "CI_JOB_TOKEN", value: "glcbt-secret", masked: true });
  });

  it("sets CI_COMMIT_TAG instead of CI_COMMIT_BRANCH for tags and omits GITLAB_USER_* without a user", () => {
    const v = asMap({ ...input({ ref: "v1.0", tag: true }), user: null });
    expect(v.get("CI_COMMIT_TAG")?.value).toBe("v1.0");
    expect(v.has("CI_COMMIT_BRANCH")).toBe(false);
    expect(v.has("GITLAB_USER_LOGIN")).toBe(false);
  });
});

describe("slugify", () => {
  it("follows GitLab's ref slug rule", () => {
    expect(slugify("--Feature/ÄB--")).toBe("feature--b");
    expect(slugify("a".repeat(70))).toHaveLength(63);
    expect(slugify(`${"a".repeat(62)}/b`)).toBe("a".repeat(62));
  });
});
