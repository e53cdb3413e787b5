import { defineConfig } from "@playwright/test";

// Runs against the stack the test orchestrator started (packages/stack); MINILAB_WEB_URL points at it.
// Debian's chromium, never a downloaded browser (nothing can be downloaded here).
export default defineConfig({
  testDir: "e2e",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  // Development: PLAYWRIGHT_GREP=<regex> runs only the matching tests (e.g. through `npm test`).
  ...(process.env["PLAYWRIGHT_GREP"] ? { grep: new RegExp(process.env["PLAYWRIGHT_GREP"]) } : {}),
  use: {
    baseURL: process.env["MINILAB_WEB_URL"] ?? "http://127.0.0.1:3000",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
