import { expect, test } from "@playwright/test";
import { openLatestPipeline, shot, signUpWithProject } from "./support/session.ts";

// CI/CD settings (variables), the pipeline graph with needs, pipelines list filters, charts and the
// dashboard, on the real stack.

const ci = `
stages: [build, test, deploy]
compile:
  stage: build
  script:
    - echo "secret is $MY_SECRET"
lint:
  stage: build
  script: [echo lint]
unit:
  stage: test
  needs: [compile]
  script: [echo unit]
ship:
  stage: deploy
  needs: [unit, lint]
  script: [echo ship]
`;

test("variables, pipeline graph with needs, filters, charts, dashboard", async ({ page }) => {
  test.setTimeout(240_000);
  const s = await signUpWithProject(page, "ci");

  // CI/CD settings: a masked variable; a too-short masked value is refused.
  await page.goto(`${s.base}/-/settings/ci_cd`);
  await expect(page.getByTestId("variables-empty")).toBeVisible();
  const add = page.getByTestId("variable-add-form");
  await add.getByLabel("Key", { exact: true }).fill("MY_SECRET");
  await add.getByLabel("Value", { exact: true }).fill("short");
  await add.getByLabel(/Mask variable/).check();
  await add.getByRole("button", { name: "Add variable" }).click();
  await expect(page.getByTestId("settings-error")).toContainText("at least 8 characters");
  await add.getByLabel("Key", { exact: true }).fill("MY_SECRET");
  await add.getByLabel("Value", { exact: true }).fill("hunter2-hunter2");
  await add.getByLabel(/Mask variable/).check();
  await add.getByRole("button", { name: "Add variable" }).click();
  await expect(page.getByTestId("settings-notice")).toContainText("MY_SECRET added");
  await expect(page.getByTestId("variable-value-MY_SECRET")).toHaveText("*****");
  await page.getByRole("button", { name: "Reveal value of MY_SECRET" }).click();
  await expect(page.getByTestId("variable-value-MY_SECRET")).toHaveText("hunter2-hunter2");
  await expect(page.getByTestId("variable-MY_SECRET")).toContainText("Masked");
  await shot(page, "settings-ci-cd");

  // Pipeline graph: stages as columns, needs drawn as links.
  await s.push({ ".gitlab-ci.yml": ci }, "pipeline with needs");
  const pipelineUrl = await openLatestPipeline(page, s.base);
  await expect(page.getByTestId("stage-build")).toBeVisible();
  await expect(page.locator("[data-link='compile->unit']")).toHaveCount(1);
  await expect(page.locator("[data-link='unit->ship']")).toHaveCount(1);
  await expect(page.locator("[data-link='lint->ship']")).toHaveCount(1);
  await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "success", {
    timeout: 120_000,
  });
  await expect(page).toHaveTitle(/^passed · Pipeline #1/);
  await shot(page, "pipeline-graph");

  // The masked variable reached the job and is masked in its log.
  await page.getByTestId("job-compile").click();
  await expect(page.getByTestId("job-log")).toContainText("secret is [MASKED]");
  await expect(page.getByTestId("job-log")).not.toContainText("hunter2-hunter2");

  // Pipelines list filters.
  await s.push({ "f.txt": "feature\n" }, "feature work", "feature-a");
  await page.goto(`${s.base}/-/pipelines`);
  await expect(page.getByTestId("pipeline-row")).toHaveCount(2, { timeout: 30_000 });
  await page.getByLabel("Branch or tag").fill("feature-a");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/ref=feature-a/);
  await expect(page.getByTestId("pipeline-row")).toHaveCount(1);
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("pipelines-none-match")).toBeVisible();
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page.getByTestId("pipeline-row")).toHaveCount(2);
  await shot(page, "pipelines-list");

  // Charts.
  await page.goto(pipelineUrl);
  await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "success");
  await page.goto(`${s.base}/-/pipelines/charts`);
  await expect(page.getByTestId("success-rate")).toHaveText(/%$/);
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await shot(page, "pipeline-charts");

  // Dashboard: my projects with their latest pipeline, and recent pipelines.
  await page.goto("/");
  await expect(page.getByTestId("project-latest-pipeline").first()).toBeVisible();
  await expect(page.getByTestId("recent-pipeline").first()).toBeVisible();
  await shot(page, "dashboard");

  // Keyboard: the skip link is the first tab stop and leads to the content.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();

  // Responsive: the job page on a phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(pipelineUrl);
  await page.getByTestId("job-ship").click();
  await expect(page.getByTestId("job-log")).toContainText("ship");
  await shot(page, "job-mobile");
});
