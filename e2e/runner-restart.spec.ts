import { expect, test, type Page } from "@playwright/test";
import { registerTestRunner, type TestRunner } from "./support/runner-process.ts";
import { openLatestPipeline, shot, signUpWithProject } from "./support/session.ts";

// A runner crashes mid-job and is started again while the job page is open: the page (never
// reloaded) must show every line the server stored exactly once, in order. The crashed runner cannot
// finish the job, so the server fails it once the runner stays silent (runner_system_failure).

/** Every rendered row of the virtualised log, by line number (scrolls through the whole log). */
async function renderedLines(page: Page): Promise<Map<number, string>> {
  const log = page.getByTestId("job-log");
  const rows = new Map<number, string>();
  await log.evaluate((el) => (el.scrollTop = 0));
  for (let i = 0; i < 200; i++) {
    const batch = await log
      .locator(".log-row")
      .evaluateAll((els) =>
        els.map((e) => [
          Number(e.getAttribute("data-line")),
          e.querySelector(".log-text")?.textContent ?? "",
        ]),
      );
    for (const [n, t] of batch) rows.set(n as number, t as string);
    const done = await log.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += el.clientHeight / 2;
      return end;
    });
    if (done) break;
    await page.waitForTimeout(30);
  }
  return rows;
}

test("a runner restart mid-job shows every line exactly once", async ({ page }) => {
  test.skip(!process.env["DATABASE_URL"], "needs the stack's DATABASE_URL to register a runner");
  test.setTimeout(300_000);
  const tag = `restart-${Date.now().toString(36)}`;
  let runner: TestRunner | undefined;
  try {
    runner = await registerTestRunner(tag);
    runner.start();
    const s = await signUpWithProject(page, "restart");
    await s.push(
      {
        ".gitlab-ci.yml": `
ticker:
  tags: [${tag}]
  script:
    - i=1; while [ $i -le 80 ]; do echo "tick $i"; i=$((i+1)); sleep 0.25; done
`,
      },
      "ticker",
    );
    await openLatestPipeline(page, s.base);
    await page.getByTestId("job-ticker").click();
    const log = page.getByTestId("job-log");
    await expect(log).toContainText("tick 12", { timeout: 90_000 });
    await expect(page.getByTestId("job-runner")).toContainText(`#${runner.id}`);

    await runner.crash();
    await page.waitForTimeout(1500);
    runner.start();

    await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", /failed|success/, {
      timeout: 200_000,
    });
    await shot(page, "runner-restart");

    const rows = await renderedLines(page);
    // By line number: the virtualised list may render the tail before the scroll to the top lands.
    const ticks = [...rows.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, t]) => t)
      .filter((t) => /^tick \d+$/.test(t.trim()))
      .map((t) => t.trim());
    expect(ticks.length).toBeGreaterThanOrEqual(12);
    // Exactly once and in order: tick 1 … tick n with nothing repeated or skipped.
    expect(ticks).toEqual(ticks.map((_, i) => `tick ${i + 1}`));
    // …and the same lines the server stored.
    const raw = await (await page.request.get(`${page.url()}/raw`)).text();
    const stored = raw.split("\n").filter((l) => /^tick \d+$/.test(l));
    expect(ticks).toEqual(stored);
  } finally {
    await runner?.stop();
  }
});
