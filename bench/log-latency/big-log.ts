/**
 * A 50 MB job log and the job page over it. The log is appended to a finished job's stored chunks
 * directly (the runner's default output limit is 4 MiB, so no job can produce 50 MB through it);
 * what is measured is the page, which only ever reads the stored chunks. Chromium then opens the
 * job page three ways (see VIEWS): time from navigation start until the last line is painted on
 * screen (the page's own clock, as FCP), paint timings and the page's JS heap.
 */
import { chromium, type Page } from "@playwright/test";
import type { Db } from "@minilab/db";
import { logLinePaintScript, readLogLinePaint } from "../../e2e/support/log-line-paint.ts";

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
  /** Navigation start → the frame that first shows the last line's row, by the page's clock. */
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

/**
 * How the page is opened. A first visit in a fresh browser profile (nothing cached, a new renderer
 * process) is the worst case; a new tab of a browser that has seen the app has its scripts and
 * styles cached; the same tab moving from another page of the app (a link followed with a full
 * load, or a reload) also keeps its renderer process.
 */
export const VIEWS = ["fresh profile", "new tab", "same tab"] as const;
export type View = (typeof VIEWS)[number];

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

async function openAndMeasure(page: Page, url: string): Promise<PageRun> {
  await page.goto(url, { waitUntil: "load" });
  const deadline = Date.now() + 60_000;
  let lastLineMs: number | undefined;
  // Read only after `load`: nothing of the harness runs in the page while it loads.
  while ((lastLineMs = await page.evaluate(readLogLinePaint)) === undefined) {
    if (Date.now() > deadline) throw new Error(`the last line was never painted on ${url}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const { fcpMs, ttfbMs, htmlEndMs, htmlKb } = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    return {
      fcpMs: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
      ttfbMs: nav?.responseStart ?? NaN,
      htmlEndMs: nav?.responseEnd ?? NaN,
      htmlKb: (nav?.decodedBodySize ?? NaN) / 1024,
    };
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return {
    lastLineMs,
    fcpMs,
    ttfbMs,
    htmlEndMs,
    htmlKb,
    heapMb: metric("JSHeapUsedSize") / 1024 / 1024,
    domNodes: metric("Nodes"),
  };
}

/**
 * Opens `url` `runs` times in each view, the views taken in turn; the same-tab view comes from
 * `fromUrl` (another page of the app) each time. The first run of each view fills its caches.
 */
export async function measurePage(
  url: string,
  fromUrl: string,
  runs: number,
): Promise<Record<View, PageRun[]>> {
  const browser = await launch();
  const viewport = { width: 1280, height: 900 };
  const results: Record<View, PageRun[]> = { "fresh profile": [], "new tab": [], "same tab": [] };
  try {
    const context = await browser.newContext({ viewport });
    await context.addInitScript(logLinePaintScript(LAST_LINE));
    const tab = await context.newPage();
    for (let i = 0; i < runs; i++) {
      const fresh = await browser.newPage({ viewport });
      await fresh.addInitScript(logLinePaintScript(LAST_LINE));
      results["fresh profile"].push(await openAndMeasure(fresh, url));
      await fresh.close();
      const opened = await context.newPage();
      results["new tab"].push(await openAndMeasure(opened, url));
      await opened.close();
      await tab.goto(fromUrl, { waitUntil: "load" });
      await new Promise((r) => setTimeout(r, 200));
      results["same tab"].push(await openAndMeasure(tab, url));
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
