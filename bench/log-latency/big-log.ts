/**
 * A 50 MB job log and the job page over it. The log is appended to a finished job's stored chunks
 * directly (the runner's default output limit is 4 MiB, so no job can produce 50 MB through it);
 * what is measured is the page, which only ever reads the stored chunks. Chromium then opens the
 * job page: time from navigation start until the last line is painted on screen (the page's own
 * clock, as FCP), paint timings and the page's JS heap.
 */
import { chromium } from "@playwright/test";
import type { Db } from "@minilab/db";

const CHUNK = 64 * 1024;
const LAST_LINE = "THE LAST LINE OF THE BIG LOG";

export async function appendBigLog(db: Db, jobId: number, bytes: number): Promise<void> {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { logSize: true } });
  let offset = job.logSize;
  let n = 0;
  // The running newline count continues from the job's own chunks (as append-job-log stores it).
  const last = await db.jobLogChunk.findFirst({ where: { jobId }, orderBy: { offset: "desc" } });
  let newlines = last?.newlinesEnd ?? 0;
  const rows: { jobId: number; offset: number; data: Uint8Array<ArrayBuffer>; newlinesEnd: number }[] = [];
  const flush = async () => {
    await db.jobLogChunk.createMany({ data: rows.splice(0) });
  };
  while (offset - job.logSize < bytes) {
    let text = "";
    while (text.length < CHUNK - 200) text += `big log line ${++n} \x1b[32m${"x".repeat(60)}\x1b[0m\n`;
    const data = new Uint8Array(Buffer.from(text));
    newlines += data.filter((b) => b === 0x0a).length;
    rows.push({ jobId, offset, data, newlinesEnd: newlines });
    offset += data.length;
    if (rows.length >= 64) await flush();
  }
  const tail = new Uint8Array(Buffer.from(`${LAST_LINE}\n`));
  rows.push({ jobId, offset, data: tail, newlinesEnd: newlines + 1 });
  offset += tail.length;
  await flush();
  await db.job.update({ where: { id: jobId }, data: { logSize: offset } });
}

export interface PageRun {
  /** Navigation start → the last line's row first inside the viewport, by the page's clock. */
  lastLineMs: number;
  fcpMs: number;
  /** Navigation timing: first byte and last byte of the HTML document. */
  ttfbMs: number;
  htmlEndMs: number;
  /** HTML document size (decoded) in KB. */
  htmlKb: number;
  heapMb: number;
  domNodes: number;
}

const launch = () =>
  chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });

export async function measurePage(url: string, runs: number): Promise<PageRun[]> {
  const browser = await launch();
  const results: PageRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Performance.enable");
      // The moment the line is first painted on screen, by the page's own clock (ms since navigation
      // start, like FCP): a check before every frame. Playwright's waitFor polls with a growing
      // back-off (up to 500 ms between checks), which quantised this figure to ~0.5 s steps.
      // A string, not a function: tsx would wrap named closures in a `__name` helper the page lacks.
      await page.addInitScript(`(() => {
        const check = () => {
          // Rows are virtualised (a few dozen in the DOM); the renderer may write spaces as &nbsp;.
          const hit = [...document.querySelectorAll(".log-text")].find((e) =>
            e.textContent.replace(/\\s/g, " ").includes("${LAST_LINE}"));
          const r = hit && hit.getBoundingClientRect();
          if (r && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight) window.lastLineAt = performance.now();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })();`);
      await page.goto(url, { waitUntil: "commit" });
      await page.getByText(LAST_LINE).waitFor({ state: "visible", timeout: 60_000 });
      const lastLineMs = await page
        .waitForFunction(() => (window as unknown as { lastLineAt?: number }).lastLineAt)
        .then((h) => h.jsonValue() as Promise<number>);
      const { fcpMs, ttfbMs, htmlEndMs, htmlKb } = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
        return {
          fcpMs: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
          ttfbMs: nav?.responseStart ?? NaN,
          htmlEndMs: nav?.responseEnd ?? NaN,
          htmlKb: (nav?.decodedBodySize ?? NaN) / 1024,
        };
      });
      const { metrics } = await cdp.send("Performance.getMetrics");
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
      results.push({
        lastLineMs,
        fcpMs,
        ttfbMs,
        htmlEndMs,
        htmlKb,
        heapMb: metric("JSHeapUsedSize") / 1024 / 1024,
        domNodes: metric("Nodes"),
      });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

/**
 * First contentful paint of other pages in the same harness (fresh page per run, pages taken in
 * turn), for scale: what any page of the app, or a bare HTML page, costs on this machine.
 */
export async function measureFcp(urls: readonly string[], runs: number): Promise<number[][]> {
  const browser = await launch();
  const fcp: number[][] = urls.map(() => []);
  try {
    for (let i = 0; i < runs; i++) {
      for (const [k, url] of urls.entries()) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(url, { waitUntil: "load" });
        const ms = await page
          .waitForFunction(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime)
          .then((h) => h.jsonValue() as Promise<number>);
        fcp[k]?.push(ms);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  return fcp;
}
