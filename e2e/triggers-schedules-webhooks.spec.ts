import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createDb } from "@minilab/db";
import { shot, signUpWithProject } from "./support/session.ts";

// Settings → CI/CD trigger tokens, pipeline schedules (create, next run, run now) and Settings →
// Webhooks (create, test event, delivery log), on the real stack.

const ci = `
show:
  script:
    - echo "source=$CI_PIPELINE_SOURCE FOO=$FOO"
`;

test("trigger tokens, pipeline schedules and webhooks pages", async ({ page }) => {
  test.setTimeout(240_000);
  const s = await signUpWithProject(page, "hooks");
  await s.push({ ".gitlab-ci.yml": ci }, "ci");

  // Trigger tokens: the new token is shown once, then only its prefix.
  await page.goto(`${s.base}/-/settings/ci_cd`);
  await expect(page.getByTestId("triggers-empty")).toBeVisible();
  await page.locator("#triggers").getByLabel("Description").fill("release system");
  await page.getByRole("button", { name: "Add new token" }).click();
  const created = page.getByTestId("created-trigger-token");
  await expect(created).toBeVisible();
  const token = await created.inputValue();
  expect(token).toMatch(/^glptt-/);
  await expect(page.getByTestId("triggers-table")).toContainText("release system");
  await expect(page.getByTestId("triggers-table")).toContainText(`${token.slice(0, 10)}…`);
  await expect(page.getByTestId("triggers-table")).not.toContainText(token);
  const projectRef = encodeURIComponent(s.base.slice(1));
  const triggered = await page.request.post(`/api/v4/projects/${projectRef}/trigger/pipeline`, {
    form: { token, ref: "main", "variables[FOO]": "bar" },
  });
  expect(triggered.status()).toBe(201);
  await page.reload();
  await expect(page.getByTestId("triggers-table")).not.toContainText("Never");
  await page.locator("#triggers").scrollIntoViewIfNeeded();
  await shot(page, "settings-trigger-tokens");

  // Pipeline schedules: create one, see its next run, run it now.
  await page.goto(`${s.base}/-/pipeline_schedules`);
  await expect(page.getByTestId("schedules-empty")).toBeVisible();
  await page.getByRole("link", { name: "New schedule" }).click();
  await page.getByLabel("Description").fill("Nightly build");
  await page.getByLabel("Interval pattern (cron)").fill("0 3 * * *");
  await page.getByLabel("Cron time zone").fill("Europe/Berlin");
  await page.getByLabel("Target branch or tag").fill("main");
  await page.getByLabel("Variable 1 key").fill("FOO");
  await page.getByLabel("Variable 1 value").fill("nightly");
  await page.getByRole("button", { name: "Create pipeline schedule" }).click();
  await expect(page.getByTestId("settings-notice")).toContainText("Nightly build");
  const row = page.getByTestId("schedules-table").locator("tr", { hasText: "Nightly build" });
  await expect(row.getByTestId("schedule-next-run")).toContainText(/in \d+ (hour|minute)s?/);
  await row.getByRole("button", { name: "Run Nightly build now" }).click();
  await expect(page.getByTestId("settings-notice")).toContainText("Successfully scheduled a pipeline");
  await expect(row).toContainText("#");
  await shot(page, "pipeline-schedules");

  // Webhooks: a local receiver (local targets allowed for this test by the admin setting).
  const received: Array<{ event: string | undefined; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ event: req.headers["x-gitlab-event"] as string | undefined, body });
      res.end("thanks");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/minilab`;
  const db = createDb(process.env["DATABASE_URL"] ?? "");
  const allowLocal = (allow: boolean) =>
    db.applicationSetting.upsert({
      where: { id: 1 },
      create: { id: 1, allowLocalRequestsFromWebHooks: allow },
      update: { allowLocalRequestsFromWebHooks: allow },
    });
  try {
    await page.goto(`${s.base}/-/settings/webhooks`);
    await expect(page.getByTestId("hooks-empty")).toBeVisible();
    // Refused while local targets are not allowed.
    await allowLocal(false);
    await page.getByLabel("URL").fill(url);
    await page.getByRole("button", { name: "Add webhook" }).click();
    await expect(
      page.getByText("URL is blocked: Requests to the local network are not allowed"),
    ).toBeVisible();
    await shot(page, "webhooks-blocked");

    await allowLocal(true);
    await page.getByLabel("URL").fill(url);
    await page.getByLabel("Secret token").fill("hook-secret");
    await page.getByLabel(/Pipeline events/).check();
    await page.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.getByTestId("settings-notice")).toContainText("Webhook created");
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByTestId("settings-notice")).toContainText("Test event sent: HTTP 200");
    expect(received.some((r) => r.event === "Push Hook")).toBe(true);
    // A real push is delivered through the queue and shows up in the delivery log.
    await s.push({ "README.md": "# demo\n" }, "readme");
    await expect
      .poll(() => received.filter((r) => r.event === "Push Hook").length, { timeout: 30_000 })
      .toBe(2);
    await page.getByTestId("hooks-list").getByRole("link", { name: "Edit" }).click();
    await expect(page.getByTestId("deliveries")).toContainText("Push Hook");
    // Pipeline Hooks of that push may still be on their way; the Push Hooks are delivered.
    const pushDelivery = page.getByTestId("deliveries").locator("li", { hasText: "Push Hook" }).first();
    await expect(pushDelivery.getByTestId("delivery-status")).toHaveText("200");
    await expect(pushDelivery.getByTestId("delivery-attempts")).toContainText("1 attempt");
    await pushDelivery.locator("summary").click();
    await shot(page, "webhooks");
  } finally {
    await allowLocal(false);
    await db.$disconnect();
    await new Promise((r) => server.close(r));
  }
});
