import { expect, test } from "@playwright/test";
import { commitFiles, git, newWorkTree, withCredentials } from "./git.ts";

// The first user journey end to end, on the real stack: browser → git push → pipeline → Docker job →
// live log → statuses, then a failing first stage that skips the later one.

const passingCi = `
stages: [build, test]
variables:
  GREETING: hello
build-job:
  stage: build
  script:
    - echo "build started for $CI_COMMIT_SHORT_SHA"
    - sleep 15
    - echo "$GREETING from the build"
test-job:
  stage: test
  script:
    - echo "testing $CI_PROJECT_PATH"
`;

const failingCi = `
stages: [build, test]
build-job:
  stage: build
  script:
    - echo "about to fail"
    - exit 3
test-job:
  stage: test
  script:
    - echo "never runs"
`;

test("sign up, push, watch the pipeline pass, then fail", async ({ page }) => {
  const username = `alice${Date.now().toString(36)}`;

  await page.goto("/users/sign_up");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: /register|sign up|create account/i }).click();
  await expect(page.getByText(username).first()).toBeVisible();

  await page.goto("/projects/new");
  await page.getByLabel(/project name/i).fill("demo");
  await page.getByRole("button", { name: /create project/i }).click();
  await expect(page).toHaveURL(new RegExp(`/${username}/demo$`));
  const cloneUrl = (
    await page
      .getByTestId("clone-url")
      .first()
      .inputValue()
      .catch(async () => page.getByTestId("clone-url").first().innerText())
  ).trim();
  expect(cloneUrl).toMatch(new RegExp(`/${username}/demo\\.git$`));

  await page.goto("/-/user_settings/personal_access_tokens");
  await page.getByLabel(/token name/i).fill("laptop");
  await page.getByLabel("write_repository").check();
  await page.getByRole("button", { name: /create.*token/i }).click();
  const tokenField = page.getByTestId("created-token");
  await expect(tokenField).toBeVisible();
  const token = ((await tokenField.inputValue().catch(() => tokenField.innerText())) || "").trim();
  expect(token).toMatch(/^glpat-/);

  const dir = await newWorkTree();
  await commitFiles(dir, { ".gitlab-ci.yml": passingCi, "README.md": "# demo\n" }, "Add CI");
  await git(dir, "push", "-q", withCredentials(cloneUrl, username, token), "main");

  await page.goto(`/${username}/demo/-/pipelines`);
  await page.getByTestId("pipeline-row").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/-\/pipelines\/\d+$/);
  const pipelineUrl = page.url();

  await page.getByTestId("job-build-job").click();
  await expect(page).toHaveURL(/\/-\/jobs\/\d+$/);
  // The first line arrives while the job still runs (it sleeps 15 s after printing it).
  await expect(page.getByTestId("job-log")).toContainText("build started for", { timeout: 30_000 });
  await expect(page.getByTestId("job-status")).toContainText(/running/i);
  await expect(page.getByTestId("job-log")).toContainText("hello from the build");
  await expect(page.getByTestId("job-status")).toContainText(/passed|success/i);

  await page.goto(pipelineUrl);
  await expect(page.getByTestId("pipeline-status")).toContainText(/passed|success/i, { timeout: 60_000 });
  await expect(page.getByTestId("job-test-job")).toHaveAttribute("data-status", "success");

  await commitFiles(dir, { ".gitlab-ci.yml": failingCi }, "Break the build");
  await git(dir, "push", "-q", withCredentials(cloneUrl, username, token), "main");
  await page.goto(`/${username}/demo/-/pipelines`);
  await expect(page.getByTestId("pipeline-row")).toHaveCount(2);
  await page.getByTestId("pipeline-row").first().getByRole("link").first().click();
  await expect(page).not.toHaveURL(pipelineUrl);
  await expect(page).toHaveURL(/\/-\/pipelines\/\d+$/);
  await expect(page.getByTestId("pipeline-status")).toContainText(/failed/i, { timeout: 60_000 });
  await expect(page.getByTestId("job-build-job")).toHaveAttribute("data-status", "failed");
  await expect(page.getByTestId("job-test-job")).toHaveAttribute("data-status", "skipped");
  await page.getByTestId("job-build-job").click();
  await expect(page.getByTestId("job-log")).toContainText("about to fail");
  await expect(page.getByTestId("job-status")).toContainText(/failed/i);
});
