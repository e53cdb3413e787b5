import { expect, test, type Page } from "@playwright/test";
import { logLinePaintScript, readLogLinePaint } from "./support/log-line-paint.ts";
import { openLatestPipeline, shot, signUpWithProject, type Session } from "./support/session.ts";

// The job log page on the real stack: ANSI colours, collapsible sections with durations, line
// anchors, search, timestamps note, raw view and download, a long log opening on its last lines.

const ESC = "\\033";
const ci = `
stages: [wait, build]
# Gives the test time to open the job page before the job starts, so its log streams in live.
wait:
  stage: wait
  script: [sleep 60]
logs:
  stage: build
  script:
    - printf '${ESC}[0Ksection_start:%s:prep[collapsed=true]\\r${ESC}[0KPreparing things\\n' "$(date +%s)"
    - echo "inside the collapsed section"
    - sleep 1
    - printf '${ESC}[0Ksection_end:%s:prep\\r${ESC}[0K\\n' "$(date +%s)"
    - printf '${ESC}[32mgreen text${ESC}[0m and ${ESC}[1;31mbold red${ESC}[0m\\n'
    - i=1; while [ $i -le 6000 ]; do echo "line number $i of the long part"; i=$((i+1)); done
    - echo "the very last line"
`;

/** The id of the newest pipeline's job `name`, through API v4 (one page load less than clicking). */
async function jobId(page: Page, s: Session, name: string): Promise<number> {
  const api = `/api/v4/projects/${encodeURIComponent(s.base.slice(1))}`;
  const get = async <T>(p: string): Promise<T> =>
    (await (await page.request.get(`${api}${p}`, { headers: { "PRIVATE-TOKEN": s.token } })).json()) as T;
  let pipelines: { id: number }[] = [];
  await expect
    .poll(async () => (pipelines = await get<{ id: number }[]>("/pipelines")).length)
    .toBeGreaterThan(0);
  const jobs = await get<{ id: number; name: string }[]>(`/pipelines/${pipelines[0]?.id}/jobs`);
  const job = jobs.find((j) => j.name === name);
  if (!job) throw new Error(`no job ${name}`);
  return job.id;
}

test("job log: sections, colours, anchors, search, raw, long log", async ({ page }) => {
  test.setTimeout(300_000);
  const s = await signUpWithProject(page, "logs");
  await s.push({ ".gitlab-ci.yml": ci }, "log features");
  await page.goto(`${s.base}/-/jobs/${await jobId(page, s, "logs")}`);
  const log = page.getByTestId("job-log");
  // Opened before the job started: all of its log streams in while the page is open.
  expect(await page.getByTestId("job-status").getAttribute("data-status")).toMatch(/^(created|pending)$/);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "success", { timeout: 90_000 });

  // Followed the tail while 6,000 lines streamed in: the last line is on screen, following still on.
  await expect(log).toContainText("the very last line");
  await expect(page.getByTestId("log-follow")).toHaveAttribute("aria-pressed", "true");
  // The reader scrolling up stops following; the button resumes it at the bottom.
  await log.hover();
  await page.mouse.wheel(0, -2000);
  await expect(page.getByTestId("log-follow")).toHaveAttribute("aria-pressed", "false");
  await expect(log).not.toContainText("the very last line");
  await page.getByTestId("log-follow").click();
  await expect(log).toContainText("the very last line");
  await expect(page).toHaveTitle(/passed · logs/);

  // Colours come through as styles, not escape codes.
  // Two hits: the echoed command and its output.
  await page.getByTestId("log-search").fill("bold red");
  await expect(page.getByTestId("log-search-count")).toHaveText("1 of 2");
  await expect(log.locator("span[style*='color']").filter({ hasText: /^bold red$/ })).toHaveCount(1);
  await expect(log.locator("span[style*='color']").filter({ hasText: /^green text$/ })).toHaveCount(1);
  await expect(log).not.toContainText("\u001b");

  // The collapsed section shows its header and duration, and opens on click.
  const header = page.getByTestId("log-section-prep");
  await expect(header).toHaveAttribute("aria-expanded", "false");
  await expect(header.getByTestId("log-section-duration")).toHaveText(/^\d\d:\d\d$/);
  await expect(log).not.toContainText("inside the collapsed section");
  await header.click();
  await expect(header).toHaveAttribute("aria-expanded", "true");
  await expect(log).toContainText("inside the collapsed section");
  await shot(page, "job-log-sections");

  // Search finds lines, Enter steps through them.
  await page.getByTestId("log-search").fill("line number 12 of");
  await expect(page.getByTestId("log-search-count")).toHaveText("1 of 1");
  await expect(log.locator("[data-mark='current']")).toContainText("line number 12 of the long part");

  // Line anchors: #L<n> selects the line.
  const n = await log.locator("[data-mark='current']").getAttribute("data-line");
  const jobUrl = page.url().split("#")[0] ?? "";
  await page.goto("about:blank");
  await page.goto(`${jobUrl}#L${n}`);
  await expect(log.locator("[data-mark='selected']")).toContainText("line number 12 of");
  await expect(log.locator(`a#L${n}`)).toHaveAttribute("href", `#L${n}`);

  // Timestamps on demand, with an honest note about what the times are.
  await page.getByTestId("log-timestamps").click();
  await expect(page.getByTestId("log-timestamps-note")).toContainText("no per-line timestamps");

  // Raw view and download serve the stored bytes.
  const rawHref = await page.getByTestId("log-raw").getAttribute("href");
  const raw = await (await page.request.get(rawHref ?? "")).text();
  expect(raw).toContain("line number 6000 of the long part");
  expect(raw).toContain("\u001b[0Ksection_start:");
  await expect(page.getByTestId("log-download")).toHaveAttribute("href", /download=1$/);
  const dl = await page.request.get(`${rawHref}?download=1`);
  expect(dl.headers()["content-disposition"]).toContain("attachment");

  // Dark theme.
  await page.getByTestId("theme-toggle").click(); // system → light
  await page.getByTestId("theme-toggle").click(); // light → dark
  await expect(page.locator("html")).toHaveClass(/dark/);
  await shot(page, "job-log-dark");
  await page.getByTestId("theme-toggle").click(); // back to system
});

test("job log: a long log opens on its tail and loads earlier lines on demand", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const s = await signUpWithProject(page, "biglog");
  // ~1.3 MB: more than the page's initial window.
  await s.push(
    {
      ".gitlab-ci.yml": `
big:
  script:
    - i=1; while [ $i -le 20000 ]; do echo "row $i ................................................................"; i=$((i+1)); done
`,
    },
    "big log",
  );
  await openLatestPipeline(page, s.base);
  await page.getByTestId("job-big").click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "success", {
    timeout: 120_000,
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(logLinePaintScript("row 20000 "));
  await page.reload();
  const log = page.getByTestId("job-log");
  // The last line is on screen (not just in the DOM) and the page follows the tail.
  await expect(log.locator(".log-row").filter({ hasText: "row 20000 " })).toBeInViewport({ ratio: 1 });
  // It was there in the page's very first frame: the page holds its first paint until the tail is
  // parsed, so no frame shows the page's top with only part of the tail (the last line a frame later).
  const paints = {
    first: await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    ),
    lastRow: (await page.evaluate(readLogLinePaint)) ?? NaN,
  };
  expect(Math.abs(paints.lastRow - paints.first), JSON.stringify(paints)).toBeLessThan(1);
  await expect(page.getByTestId("log-follow")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("log-partial")).toContainText("not loaded yet");
  // Only what is on screen is in the DOM.
  expect(await log.locator(".log-row").count()).toBeLessThan(200);
  await shot(page, "job-log-tail");
  // The HTML carries only the last rows; the rest of the page's window (64 KiB, ~900 rows here) comes
  // right after hydration, so search finds a line 500 rows up without loading anything by hand.
  await page.getByTestId("log-search").fill("row 19500 ");
  await expect(page.getByTestId("log-search-count")).toHaveText("1 of 1");
  await page.getByTestId("log-search").fill("");
  const notice = await page.getByTestId("log-partial").textContent();

  // The tail is in the server-rendered HTML, at the bottom of the log box: the page opens on it before
  // any script has run — here, with scripting off altogether.
  const noJs = await browser.newContext({
    javaScriptEnabled: false,
    storageState: await page.context().storageState(),
    viewport: { width: 1280, height: 900 },
  });
  const plain = await noJs.newPage();
  await plain.goto(page.url());
  const plainLog = plain.getByTestId("job-log");
  const lastRow = plainLog.locator(".log-row").filter({ hasText: "row 20000 " });
  await expect(lastRow).toBeInViewport({ ratio: 1 });
  const [rowBox, logBox] = [await lastRow.boundingBox(), await plainLog.boundingBox()];
  if (!rowBox || !logBox) throw new Error("log not laid out");
  // Inside the log box's visible part, not scrolled out of it.
  expect(rowBox.y).toBeGreaterThanOrEqual(logBox.y);
  expect(rowBox.y + rowBox.height).toBeLessThanOrEqual(logBox.y + logBox.height);
  await shot(plain, "job-log-tail-no-js");
  // Before the rest of the window arrives, the notice already describes it: it does not change.
  await expect(plain.getByTestId("log-partial")).toHaveText(notice ?? "");
  await noJs.close();
  await page.getByRole("button", { name: "Load earlier lines" }).first().click();
  await page.getByRole("button", { name: "Scroll to top" }).click();
  // Loading continues as the reader reaches the top, until line 1.
  for (let i = 0; i < 20 && (await page.getByTestId("log-partial").count()) > 0; i++) {
    await page.getByRole("button", { name: "Load earlier lines" }).first().click();
    await page.waitForTimeout(200);
  }
  await page.getByRole("button", { name: "Scroll to top" }).click();
  await expect(log.locator(".log-row").first()).toHaveAttribute("data-line", "1");
});
