import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { openLatestPipeline, shot, signUpWithProject } from "./support/session.ts";

// The dashboard pages on the real stack: project overview (README, clone URL, latest pipeline,
// branch and tag counts), the home feed and charts updating by server push, the pipelines list's
// user filter and pagination, an accessibility scan (axe, WCAG 2 A/AA) of every dashboard page,
// and the pipeline and job pages at phone width (375 px).

const ci = `
build:
  script:
    - sleep 2
    - echo "built it"
`;

/** axe violations of WCAG 2 A/AA rules on the page, as readable one-liners. */
async function a11yViolations(page: Page): Promise<string[]> {
  // Next streams <title> (generateMetadata) after the page body: let it arrive before scanning.
  await expect.poll(() => page.title(), { message: "the page has a title" }).not.toBe("");
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("overview, live home and charts, pipelines list, accessibility, phone width", async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const s = await signUpWithProject(page, "dash");

  // Home, open while the first pipeline is pushed: it appears and finishes without a reload.
  // (Other specs' public projects may be listed too: look only at this user's.)
  await page.goto("/");
  const mine = page.getByTestId("project-row").filter({ has: page.locator(`a[href="${s.base}"]`) });
  const myRecent = page.locator(`[data-testid=recent-pipeline]:has(a[href^="${s.base}/"])`);
  await expect(mine).toHaveCount(1);
  await expect(myRecent).toHaveCount(0);
  await s.push({ "README.md": "# Demo project\n\nSome *words* about it.\n", ".gitlab-ci.yml": ci }, "readme");
  await expect(myRecent).toHaveCount(1, { timeout: 30_000 });
  await expect(mine.getByTestId("project-latest-pipeline").locator("[data-status]")).toHaveAttribute(
    "data-status",
    "success",
    { timeout: 90_000 },
  );
  expect(await a11yViolations(page)).toEqual([]);
  await shot(page, "home-live");

  // Project overview.
  await page.goto(s.base);
  await expect(page.getByTestId("readme").getByRole("heading", { name: "Demo project" })).toBeVisible();
  await expect(page.getByTestId("clone-url")).toHaveValue(new RegExp(`${s.base}\\.git$`));
  await page.getByRole("button", { name: "Copy Clone with HTTP" }).click();
  await expect(page.getByRole("button", { name: "Copy Clone with HTTP" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/\/demo\.git$/);
  await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "success");
  await expect(page.getByTestId("branches-count")).toHaveText("1");
  await expect(page.getByTestId("tags-count")).toHaveText("0");
  expect(await a11yViolations(page)).toEqual([]);
  await shot(page, "project-overview");

  // Charts, open while a second pipeline runs: the new pipeline is counted when it finishes.
  await page.goto(`${s.base}/-/pipelines/charts`);
  await expect(page.getByTestId("success-rate")).toHaveText("100%");
  await expect(page.getByTestId("chart-finished")).toHaveText("1");
  await s.push({ ".gitlab-ci.yml": "fails:\n  script: [exit 1]\n" }, "a failing pipeline");
  await expect(page.getByTestId("chart-finished")).toHaveText("2", { timeout: 90_000 });
  await expect(page.getByTestId("success-rate")).toHaveText("50%");
  expect(await a11yViolations(page)).toEqual([]);

  // Pipelines list: who started each pipeline, filtered by username; a page past the end.
  await page.goto(`${s.base}/-/pipelines`);
  await expect(page.getByTestId("pipeline-row")).toHaveCount(2);
  await expect(page.getByTestId("pipeline-user").first()).toHaveText(s.username);
  await page.getByLabel("Triggerer").fill("nobody-at-all");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/username=nobody-at-all/);
  await expect(page.getByTestId("pipelines-none-match")).toBeVisible();
  await page.getByLabel("Triggerer").fill(s.username.toUpperCase());
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("pipeline-row")).toHaveCount(2);
  await page.goto(`${s.base}/-/pipelines?page=99`);
  await expect(page).toHaveURL(/page=1$/);
  await expect(page.getByTestId("pipeline-row")).toHaveCount(2);
  expect(await a11yViolations(page)).toEqual([]);

  // Pipeline and job pages, CI/CD settings.
  const pipelineUrl = await openLatestPipeline(page, s.base);
  await expect(page.getByTestId("pipeline-status")).toHaveAttribute("data-status", "failed");
  expect(await a11yViolations(page)).toEqual([]);
  await page.getByTestId("job-fails").click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "failed");
  expect(await a11yViolations(page)).toEqual([]);
  await page.goto(`${s.base}/-/settings/ci_cd`);
  expect(await a11yViolations(page)).toEqual([]);

  // Phone width: no sideways scrolling of the page; the log scrolls inside its own box.
  await page.setViewportSize({ width: 375, height: 812 });
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  await page.goto(pipelineUrl);
  await expect(page.getByTestId("job-fails")).toBeVisible();
  expect(await pageWidth()).toBeLessThanOrEqual(375);
  await shot(page, "pipeline-mobile");
  await page.getByTestId("job-fails").click();
  await expect(page.getByTestId("job-log")).toContainText("exit 1");
  expect(await pageWidth()).toBeLessThanOrEqual(375);
  await shot(page, "job-mobile-375");
  await page.goto(`${s.base}/-/pipelines`);
  expect(await pageWidth()).toBeLessThanOrEqual(375);
  await shot(page, "pipelines-list-mobile");
});

test("links prefetch when the reader reaches for them, not every link on screen", async ({ page }) => {
  const s = await signUpWithProject(page, "prefetch");
  const prefetched: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.searchParams.has("_rsc")) prefetched.push(u.pathname);
  });
  await page.goto(s.base);
  await page.evaluate(() => {
    (window as unknown as { __sameView: boolean }).__sameView = true;
  });
  // Next's default fetched every link in view about a second after load; allow more than twice that.
  await page.waitForTimeout(2500);
  // Nor does the page render itself again when its live stream connects: nothing happened since.
  expect(prefetched).toEqual([]);
  const tab = page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Pipelines" });
  await tab.hover();
  await expect.poll(() => prefetched).toContain(`${s.base}/-/pipelines`);
  await tab.click();
  await expect(page).toHaveURL(new RegExp(`${s.base}/-/pipelines$`));
  await expect(page.getByRole("heading", { name: "Pipelines", exact: true })).toBeVisible();
  // Still a client-side navigation: the same document.
  expect(await page.evaluate(() => (window as unknown as { __sameView?: boolean }).__sameView)).toBe(true);
});

test("a live page catches up on an event it missed while its stream was connecting", async ({ page }) => {
  test.setTimeout(120_000);
  const s = await signUpWithProject(page, "catchup");
  // Hold the page's event stream until the pipeline below exists: its events reach no one.
  let connect = () => {};
  const connected = new Promise<void>((resolve) => (connect = resolve));
  await page.route(/\/-\/events\.stream/, async (route) => {
    await connected;
    await route.continue();
  });
  const renders: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).searchParams.has("_rsc")) renders.push(r.url());
  });
  await page.goto(s.base);
  await expect(page.getByRole("heading", { name: "Latest pipeline" })).toBeVisible();
  await expect(page.getByTestId("pipeline-status")).toHaveCount(0);
  await s.push({ ".gitlab-ci.yml": ci }, "a pipeline while the page connects");
  const api = `/api/v4/projects/${encodeURIComponent(s.base.slice(1))}/pipelines`;
  // Finished, so no later event of it can bring the page up to date: only the catch-up can.
  await expect
    .poll(
      async () => {
        const res = await page.request.get(api, { headers: { "PRIVATE-TOKEN": s.token } });
        return ((await res.json()) as { status: string }[])[0]?.status;
      },
      { timeout: 60_000 },
    )
    .toBe("success");
  expect(renders).toEqual([]);
  connect();
  // The stream's live version is ahead of the page's: the page renders itself again and shows it.
  await expect(page.getByTestId("pipeline-status")).toBeVisible({ timeout: 15_000 });
  expect(renders.length).toBeGreaterThan(0);
});
