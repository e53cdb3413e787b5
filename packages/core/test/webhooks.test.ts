/**
 * Outgoing webhooks end to end inside one process: real Postgres, Redis (BullMQ queues and workers),
 * a bare repository and a local HTTP receiver. Local targets are allowed by the admin setting, except
 * in the SSRF cases.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHook,
  deliverHook,
  emitHookEvents,
  fanOutHookEvent,
  isAppError,
  recordPush,
  startHookWorkers,
  testHook,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let f: CiFixture;
let server: http.Server;
let base: string;
const received: Received[] = [];
/** Status codes to answer per path, in order; then 200. */
const plans = new Map<string, number[]>();
let stopWorkers: (() => Promise<void>) | undefined;
const ZERO = "0".repeat(40);

const setLocalAllowed = (allow: boolean) =>
  f.t.db.applicationSetting.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalRequestsFromWebHooks: allow },
    update: { allowLocalRequestsFromWebHooks: allow },
  });

async function waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  f = await ciFixture();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = plans.get(path)?.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "nope");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await setLocalAllowed(true);
  stopWorkers = startHookWorkers({ db: f.t.db, retry: { attempts: 4, backoffMs: 100 } });
});
afterAll(async () => {
  await stopWorkers?.();
  await new Promise((r) => server.close(r));
  await f?.close();
});

describe("outgoing webhooks", () => {
  it("delivers Push, Pipeline and Job hooks with GitLab's headers, payloads and an HMAC signature", async () => {
    const hook = await createHook({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      input: { url: `${base}/all`, token: "s3cret", pushEvents: true, pipelineEvents: true, jobEvents: true },
    });
    const sha = f.commit({ ".gitlab-ci.yml": "build:\n  script: [make]\n" }, "add ci");
    await recordPush({
      db: f.t.db,
      project: f.project,
      userId: f.user.id,
      updates: [{ ref: "refs/heads/main", oldSha: ZERO, newSha: sha }],
    });
    const push = await waitFor(() =>
      received.find((r) => r.path === "/all" && r.headers["x-gitlab-event"] === "Push Hook"),
    );
    expect(push.headers["x-gitlab-token"]).toBe("s3cret");
    expect(push.headers["x-gitlab-webhook-uuid"]).toBe(hook.uuid);
    expect(push.headers["x-gitlab-event-uuid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(push.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(push.headers["user-agent"]).toMatch(/^GitLab\//);
    expect(push.headers["content-type"]).toBe("application/json");
    const expected = `sha256=${createHmac("sha256", "s3cret").update(push.body).digest("hex")}`;
    expect(push.headers["x-minilab-signature"]).toBe(expected);
    const payload = JSON.parse(push.body) as Record<string, unknown>;
    expect(payload).toMatchObject({
      object_kind: "push",
      event_name: "push",
      before: ZERO,
      after: sha,
      ref: "refs/heads/main",
      checkout_sha: sha,
      user_username: f.user.username,
      project_id: f.project.id,
      project: { path_with_namespace: "ada/calc", default_branch: "main" },
      total_commits_count: 1,
      repository: { name: "Calc" },
    });
    expect((payload["commits"] as Array<Record<string, unknown>>)[0]).toMatchObject({
      id: sha,
      title: "add ci",
      added: [".gitlab-ci.yml"],
    });

    const pipelineHook = await waitFor(() =>
      received.find((r) => r.path === "/all" && r.headers["x-gitlab-event"] === "Pipeline Hook"),
    );
    const p = JSON.parse(pipelineHook.body) as {
      object_kind: string;
      object_attributes: Record<string, unknown>;
      builds: unknown[];
    };
    expect(p.object_kind).toBe("pipeline");
    expect(p.object_attributes).toMatchObject({ ref: "main", sha, source: "push" });
    expect(p.builds).toEqual([expect.objectContaining({ name: "build", stage: "test" })]);
    const jobHook = await waitFor(() =>
      received.find((r) => r.path === "/all" && r.headers["x-gitlab-event"] === "Job Hook"),
    );
    expect(JSON.parse(jobHook.body)).toMatchObject({
      object_kind: "build",
      build_name: "build",
      sha,
      project_id: f.project.id,
    });
    // One event fans out once: every delivered request has its own Idempotency-Key.
    const keys = received.filter((r) => r.path === "/all").map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("retries a failing receiver with backoff: 500, 500, then 200 is one delivery of three attempts", async () => {
    const hook = await createHook({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      input: { url: `${base}/flaky`, pushEvents: true },
    });
    plans.set("/flaky", [500, 500]);
    const sha = f.commit({ "a.txt": "a" }, "flaky");
    const before = await f.t.db.pushEvent.count();
    await recordPush({
      db: f.t.db,
      project: f.project,
      userId: f.user.id,
      updates: [{ ref: "refs/heads/main", oldSha: ZERO, newSha: sha }],
    });
    expect(await f.t.db.pushEvent.count()).toBe(before + 1);
    const delivery = await waitFor(async () => {
      const d = await f.t.db.hookDelivery.findFirst({ where: { hookId: hook.id, status: "delivered" } });
      return d ?? undefined;
    });
    expect(delivery.attempts).toBe(3);
    expect((delivery.attemptLog as Array<{ status: number }>).map((a) => a.status)).toEqual([500, 500, 200]);
    const hits = received.filter((r) => r.path === "/flaky");
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers["idempotency-key"])).size).toBe(1);
    // A delivered delivery is never sent again, whoever asks.
    expect((await deliverHook({ db: f.t.db, deliveryId: delivery.id, final: true })).state).toBe("gone");
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    const row = await f.t.db.projectHook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(row.recentFailures).toBe(0);
  });

  it("disables a hook after 4 consecutive failed deliveries and says why", async () => {
    const hook = await createHook({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      input: { url: `${base}/down`, pushEvents: false, pipelineEvents: true },
    });
    plans.set("/down", Array<number>(10).fill(503));
    const pipeline = await f.t.db.pipeline.findFirstOrThrow({ where: { projectId: f.project.id } });
    const event = () => ({
      kind: "pipeline" as const,
      uuid: crypto.randomUUID(),
      projectId: f.project.id,
      pipelineId: pipeline.id,
      status: "success",
    });
    const deliveriesOf = async (ids: string[]) =>
      f.t.db.hookDelivery.findMany({ where: { id: { in: ids }, hookId: hook.id } });
    for (let i = 0; i < 4; i++) {
      const [d] = await deliveriesOf(await fanOutHookEvent(f.t.db, event()));
      expect((await deliverHook({ db: f.t.db, deliveryId: d!.id, final: true })).state).toBe("failed");
    }
    const row = await f.t.db.projectHook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(row.alertStatus).toBe("temporarily_disabled");
    expect(row.disabledReason).toMatch(/4 consecutive failed deliveries \(last: HTTP 503\)/);
    // While disabled, new events are not fanned out to it.
    expect(await deliveriesOf(await fanOutHookEvent(f.t.db, event()))).toHaveLength(0);
    // A successful test event re-enables it.
    plans.set("/down", []);
    const outcome = await testHook({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      id: hook.id,
      trigger: "pipeline_events",
    });
    expect(outcome.state).toBe("delivered");
    expect((await f.t.db.projectHook.findUniqueOrThrow({ where: { id: hook.id } })).alertStatus).toBe(
      "executable",
    );
  });

  it("refuses local-network targets unless the admin setting allows them, also at delivery time", async () => {
    await setLocalAllowed(false);
    try {
      for (const url of [
        `${base}/x`,
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "ftp://example.com/",
      ]) {
        try {
          await createHook({ db: f.t.db, actor: f.user, project: f.project, input: { url } });
          throw new Error(`${url} was accepted`);
        } catch (e) {
          expect(isAppError(e) && e.message, url).toMatch(/^URL is blocked/);
        }
      }
      // A hook saved while local targets were allowed (or whose name now resolves locally) is refused
      // when it would be sent, without retries and without reaching the receiver.
      await setLocalAllowed(true);
      const hook = await createHook({
        db: f.t.db,
        actor: f.user,
        project: f.project,
        input: { url: `${base}/late`, pushEvents: true },
      });
      await setLocalAllowed(false);
      const push = await f.t.db.pushEvent.findFirstOrThrow({ where: { projectId: f.project.id } });
      await emitHookEvents([{ kind: "push", projectId: f.project.id, pushEventId: push.id }]);
      const d = await waitFor(
        async () =>
          (await f.t.db.hookDelivery.findFirst({ where: { hookId: hook.id, status: "failed" } })) ??
          undefined,
      );
      expect(d.attempts).toBe(1);
      expect(d.error).toMatch(/URL is blocked/);
      expect(received.filter((r) => r.path === "/late")).toHaveLength(0);
    } finally {
      await setLocalAllowed(true);
    }
  });
});
