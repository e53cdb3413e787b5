import { expect, test } from "@playwright/test";
import { shot, signUpWithProject } from "./support/session.ts";

// Pipeline controls on the real stack: "Run pipeline" form (ref + variables, source web) → play a
// manual job with a variable → cancel a running job (after_script still runs) → retry it → cancel
// the pipeline. Statuses change on the page without reloads (project status stream / job stream).

const ci = `
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "web"
stages: [build]
greet:
  stage: build
  script:
    - echo "source=$CI_PIPELINE_SOURCE greeting=$GREETING"
    - echo "notes file says $(cat "$NOTES")"
sleeper:
  stage: build
  script:
    - echo "sleeper started"
    - sleep 300
  after_script:
    - echo "after-script-ran"
deploy:
  stage: build
  when: manual
  script:
    - echo "deploying to $TARGET"
`;

test("run pipeline form, play with variables, cancel, retry", async ({ page }) => {
  test.setTimeout(300_000);
  const s = await signUpWithProject(page, "ctl");
  // Pushes create no pipeline here (workflow rules allow only web pipelines).
  await s.push({ ".gitlab-ci.yml": ci }, "CI with a manual job");

  // Run pipeline: the button on the list, the form with ref selector and a variable row.
  await page.goto(`${s.base}/-/pipelines`);
  await expect(page.getByTestId("pipelines-empty")).toBeVisible();
  await page.getByTestId("run-pipeline-link").click();
  await expect(page).toHaveURL(/\/-\/pipelines\/new$/);
  await expect(page.getByTestId("run-pipeline-ref")).toHaveValue("main");
  await page.getByLabel("Variable 1 key").fill("GREETING");
  await page.getByLabel("Variable 1 value").fill("hello-from-the-form");
  // A second row of type File (GitLab's Variable/File selector): the job gets a path to the value.
  await page.getByTestId("run-pipeline-add-variable").click();
  await page.getByLabel("Variable 2 type").selectOption("file");
  await page.getByLabel("Variable 2 key").fill("NOTES");
  await page.getByLabel("Variable 2 value").fill("written-to-a-file");
  await shot(page, "pipeline-run-form");
  await page.getByTestId("run-pipeline-submit").click();
  await expect(page).toHaveURL(/\/-\/pipelines\/\d+$/);
  const pipelineUrl = page.url();
  await expect(page.getByTestId("job-deploy")).toHaveAttribute("data-status", "manual");
  await expect(page.getByTestId("pipeline-cancel")).toBeVisible();

  // The variable and the source reached the job.
  await expect(page.getByTestId("job-greet")).toHaveAttribute("data-status", "success", { timeout: 120_000 });
  await page.getByTestId("job-greet").click();
  await expect(page.getByTestId("job-log")).toContainText("source=web greeting=hello-from-the-form");
  await expect(page.getByTestId("job-log")).toContainText("notes file says written-to-a-file");

  // Play the manual job with a variable from its page.
  await page.goto(pipelineUrl);
  await page.getByTestId("job-deploy").click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "manual");
  const play = page.getByTestId("play-form");
  await play.getByLabel("Variable 1 key").fill("TARGET");
  await play.getByLabel("Variable 1 value").fill("staging");
  await shot(page, "job-manual-play");
  await play.getByTestId("job-play").click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "success", {
    timeout: 120_000,
  });
  await expect(page.getByTestId("job-log")).toContainText("deploying to staging");

  // Cancel the running sleeper: canceled without a reload, after_script output in the log.
  await page.goto(pipelineUrl);
  await page.getByTestId("job-sleeper").click();
  await expect(page.getByTestId("job-log")).toContainText("sleeper started", { timeout: 120_000 });
  const sleeperUrl = page.url();
  await page.getByTestId("job-cancel").click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "canceled", {
    timeout: 30_000,
  });
  await expect(page.getByTestId("job-log")).toContainText("after-script-ran");
  await shot(page, "job-canceled");

  // Retry: a new attempt of the job, followed to its own page.
  await page.getByTestId("job-retry").click();
  await expect(page).not.toHaveURL(sleeperUrl);
  await expect(page).toHaveURL(/\/-\/jobs\/\d+$/);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", /pending|running/);
  await shot(page, "job-retried");

  // Cancel the whole pipeline from its page; the graph and header follow live.
  await page.goto(pipelineUrl);
  await page.getByTestId("pipeline-cancel").click();
  await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "canceled", {
    timeout: 60_000,
  });
  await expect(page.getByTestId("job-sleeper")).toHaveAttribute("data-status", "canceled");
  await expect(page.getByTestId("pipeline-retry")).toBeVisible();
  await shot(page, "pipeline-canceled");
});
