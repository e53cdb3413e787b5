import { expect, test } from "@playwright/test";
import { openLatestPipeline, shot, signUpWithProject } from "./support/session.ts";

// CI lint page: reached from the pipelines page, pasted YAML validated (jobs in stage order with
// when / allow_failure / needs, the merged YAML), problems shown with line:column, the project's own
// file loaded from a ref; the pipeline page shows the merged YAML it was created from.

const ci = `
stages: [build, test, deploy]
.base:
  script: [echo base]
compile:
  extends: .base
  stage: build
unit:
  stage: test
  needs: [compile]
  script: [echo unit]
ship:
  stage: deploy
  when: manual
  script: [echo ship]
`;

test("CI lint validates pasted YAML and the project's file at a ref", async ({ page }) => {
  test.setTimeout(180_000);
  const s = await signUpWithProject(page, "lint");
  await s.push({ ".gitlab-ci.yml": ci }, "add ci");

  // The pipeline keeps the merged configuration it was created from.
  await openLatestPipeline(page, s.base);
  const merged = page.getByTestId("pipeline-merged-yaml");
  await merged.getByText("Merged YAML").click();
  await expect(merged.locator("pre")).toContainText("compile:\n  script:\n    - echo base\n  stage: build");

  await page.goto(`${s.base}/-/pipelines`);
  await page.getByTestId("ci-lint-link").click();
  await expect(page).toHaveURL(new RegExp(`${s.base}/-/ci/lint$`));

  // Pasted YAML with a mistake: the problem carries its line and column.
  await page.getByTestId("lint-content").fill("build:\n  script: make\ntest:\n  scrpt: oops\n");
  await page.getByTestId("lint-submit").click();
  await expect(page.getByTestId("lint-status")).toHaveAttribute("data-valid", "false");
  await expect(page.getByTestId("lint-error").first()).toContainText(".gitlab-ci.yml:4:");
  await expect(page.getByTestId("lint-error").first()).toContainText("unknown keys: scrpt");
  await shot(page, "ci-lint-invalid");

  // Valid YAML: jobs listed in stage order with when / allow_failure / needs.
  await page.getByTestId("lint-content").fill(ci);
  await page.getByTestId("lint-submit").click();
  await expect(page.getByTestId("lint-status")).toHaveAttribute("data-valid", "true");
  await expect(page.getByTestId("lint-status")).toContainText("Syntax is correct");
  const rows = page.getByTestId("lint-job");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toHaveAttribute("data-job", "compile");
  await expect(rows.nth(1).getByTestId("lint-job-needs")).toHaveText("compile");
  await expect(rows.nth(2).getByTestId("lint-job-when")).toHaveText("manual");
  await expect(rows.nth(2).getByTestId("lint-job-allow-failure")).toHaveText("yes");
  await page.getByText("Merged YAML").click();
  await expect(page.getByTestId("lint-merged-yaml")).toContainText("echo base");
  await shot(page, "ci-lint-valid");

  // Load the project's own file from a ref: validated straight away.
  await page.getByTestId("lint-load").click();
  await expect(page).toHaveURL(/\?ref=main$/);
  await expect(page.getByTestId("lint-content")).toHaveValue(/compile:/);
  await expect(page.getByTestId("lint-status")).toHaveAttribute("data-valid", "true");
  await expect(page.getByTestId("lint-job")).toHaveCount(3);
});
