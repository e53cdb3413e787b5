import { expect, test } from "@playwright/test";
import { ONLINE_WINDOW_MS } from "@minilab/contracts";
import { deleteRunner, registerRunner } from "@minilab/core";
import { createDb } from "@minilab/db";
import { shot, signUpWithProject } from "./support/session.ts";

// Runner presence by server push. "Why is this job pending?" on the job page: a job whose tags no
// runner has says so; when a runner with those tags comes online the sentence changes, and once the job
// is canceled it is gone. Admin → Runners: a runner coming online and going offline (no contact for
// ONLINE_WINDOW_MS) shows as it happens. All without a reload. Needs MINILAB_WEB_URL and DATABASE_URL
// (to register runners and make the user an admin).

test("the job page's pending reason follows runners and the job without a reload", async ({ page }) => {
  test.skip(!process.env["DATABASE_URL"], "needs the stack's DATABASE_URL to register a runner");
  test.setTimeout(120_000);
  const tag = `nobody-${Date.now().toString(36)}`;
  const s = await signUpWithProject(page, "pend");
  await s.push({ ".gitlab-ci.yml": `lonely:\n  tags: [${tag}]\n  script: echo hi\n` }, "tagged job");

  await page.goto(`${s.base}/-/pipelines`);
  await expect(page.getByTestId("pipeline-row").first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("pipeline-row").first().getByRole("link").first().click();
  await page.getByTestId("job-lonely").click();
  await expect(page).toHaveURL(/\/-\/jobs\/\d+$/);
  const reason = page.getByTestId("job-pending-reason");
  await expect(reason).toHaveText(`No online runner with tags [${tag}]`);
  await shot(page, "job-pending-no-runner");
  // Survives only as long as the page is not reloaded.
  await page.evaluate(() => {
    (window as unknown as { __sameView: boolean }).__sameView = true;
  });

  // A runner with the tag comes online: its first contact through the runner API.
  const db = createDb(process.env["DATABASE_URL"] ?? "");
  const { runner, token } = await registerRunner({ db, tags: [tag], runUntagged: false, description: tag });
  try {
    const verify = await page.request.post("/api/v4/runners/verify", { data: { token } });
    expect(verify.status()).toBe(200);
    await expect(reason).toHaveText("Waiting for a runner to pick it up; position 1 in the queue", {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => (window as unknown as { __sameView?: boolean }).__sameView)).toBe(true);
    await shot(page, "job-pending-queued");

    // Canceled: no reason any more.
    await page.getByTestId("job-cancel").click();
    await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "canceled", {
      timeout: 15_000,
    });
    await expect(reason).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __sameView?: boolean }).__sameView)).toBe(true);
    await shot(page, "job-pending-canceled");
  } finally {
    await deleteRunner({ db, id: runner.id });
    await db.$disconnect();
  }
});

test("admin runners page shows a runner coming online and going offline without a reload", async ({
  page,
}) => {
  test.skip(!process.env["DATABASE_URL"], "needs the stack's DATABASE_URL to register a runner");
  test.setTimeout(120_000);
  const s = await signUpWithProject(page, "radm");
  const db = createDb(process.env["DATABASE_URL"] ?? "");
  const description = `presence-${Date.now().toString(36)}`;
  const { runner, token } = await registerRunner({ db, tags: [description], description });
  try {
    // Runner presence is admin business, like the page.
    expect((await page.request.get("/admin/runners/events.stream")).status()).toBe(404);
    await db.user.update({ where: { username: s.username }, data: { isAdmin: true } });
    await page.goto("/admin/runners");
    const row = page.getByTestId("runner-row").filter({ hasText: description });
    await expect(row.getByTestId("runner-status")).toHaveText("○ offline");
    await page.evaluate(() => {
      (window as unknown as { __sameView: boolean }).__sameView = true;
    });

    // First contact: online.
    const verify = await page.request.post("/api/v4/runners/verify", { data: { token } });
    expect(verify.status()).toBe(200);
    await expect(row.getByTestId("runner-status")).toHaveText("● online", { timeout: 10_000 });
    await shot(page, "admin-runners-online");

    // Its last contact leaves the online window in 2 s (as if it had gone quiet two minutes ago):
    // the web app notices on its own (its presence loop sleeps at most 30 s when no window ends sooner).
    await db.runner.update({
      where: { id: runner.id },
      data: { contactedAt: new Date(Date.now() + 2_000 - ONLINE_WINDOW_MS) },
    });
    await expect(row.getByTestId("runner-status")).toHaveText("○ offline", { timeout: 45_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameView?: boolean }).__sameView)).toBe(true);
    await shot(page, "admin-runners-offline");
  } finally {
    await deleteRunner({ db, id: runner.id });
    await db.$disconnect();
  }
});
