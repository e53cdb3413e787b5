/**
 * Triggers and outgoing webhooks on the running stack (web app + runner + Docker): a plain HTTP client
 * triggers pipelines whose jobs see its variables; the webhook form's body reaches the job as the
 * file variable TRIGGER_PAYLOAD; GitLab's refusals; a webhook received by a local HTTP receiver in
 * this test, with its headers, payload and signature checked; the SSRF guard when the setting is off.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

const CI = `
show:
  script:
    - echo "FOO=$FOO source=$CI_PIPELINE_SOURCE"
    - 'if [ -n "$TRIGGER_PAYLOAD" ]; then echo "payload-file=$TRIGGER_PAYLOAD"; cat "$TRIGGER_PAYLOAD"; echo; fi'
`;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe.runIf(webUrl)("triggers and webhooks", () => {
  let db: Db;
  let t: TestProject;
  let token: string;
  let api: string;
  let server: http.Server;
  let receiver: string;
  const received: Received[] = [];
  const setLocalAllowed = (allow: boolean) =>
    db.applicationSetting.upsert({
      where: { id: 1 },
      create: { id: 1, allowLocalRequestsFromWebHooks: allow },
      update: { allowLocalRequestsFromWebHooks: allow },
    });

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "trig");
    api = new URL(`/api/v4/projects/${t.project.id}`, webUrl).toString();
    await t.push({ ".gitlab-ci.yml": CI }, "ci");
    const res = await fetch(`${api}/triggers`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": t.token, "Content-Type": "application/json" },
      body: JSON.stringify({ description: "from tests" }),
    });
    expect(res.status).toBe(201);
    token = ((await res.json()) as { token: string }).token;
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    if (db) await setLocalAllowed(false);
    await new Promise((r) => server?.close(r));
    await db?.$disconnect();
  });

  async function jobLog(pipelineId: number): Promise<{ status: string; log: string }> {
    for (let i = 0; i < 900; i++) {
      const p = await t.api<{ status: string }>(`/projects/${t.project.id}/pipelines/${pipelineId}`);
      if (["success", "failed", "canceled"].includes(p.status)) {
        const jobs = await t.api<{ id: number }[]>(`/projects/${t.project.id}/pipelines/${pipelineId}/jobs`);
        return { status: p.status, log: await t.text(`/projects/${t.project.id}/jobs/${jobs[0]?.id}/trace`) };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`pipeline ${pipelineId} did not finish`);
  }

  it("triggers a pipeline from a form post; the job sees the variables and source=trigger", async () => {
    const res = await fetch(`${api}/trigger/pipeline`, {
      method: "POST",
      body: new URLSearchParams({ token, ref: "main", "variables[FOO]": "from-form" }),
    });
    expect(res.status).toBe(201);
    const pipeline = (await res.json()) as { id: number; source: string; ref: string };
    expect(pipeline).toMatchObject({ source: "trigger", ref: "main" });
    const { status, log } = await jobLog(pipeline.id);
    expect(status).toBe("success");
    expect(log).toContain("FOO=from-form source=trigger");
    expect(log).not.toMatch(/payload-file=\//);
  });

  it("accepts JSON with a variables object", async () => {
    const res = await fetch(`${api}/trigger/pipeline`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, ref: "main", variables: { FOO: "from-json" } }),
    });
    expect(res.status).toBe(201);
    const { log } = await jobLog(((await res.json()) as { id: number }).id);
    expect(log).toContain("FOO=from-json source=trigger");
  });

  it("passes the webhook form's raw body to the job as the file variable TRIGGER_PAYLOAD", async () => {
    const body = JSON.stringify({ event: "deploy", note: "it's $HOME" });
    const res = await fetch(`${api}/ref/main/trigger/pipeline?token=${token}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(res.status).toBe(201);
    const { status, log } = await jobLog(((await res.json()) as { id: number }).id);
    expect(status).toBe("success");
    expect(log).toMatch(/payload-file=\/\S+\/TRIGGER_PAYLOAD/);
    expect(log).toContain(body);
  });

  it("answers a bad token, an unknown ref and a Pipeline Hook as GitLab does", async () => {
    const post = (params: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${api}/trigger/pipeline`, { method: "POST", headers, body: new URLSearchParams(params) });
    const bad = await post({ token: "glptt-wrong", ref: "main" });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ message: "404 Not Found" });
    const ref = await post({ token, ref: "no-such-branch" });
    expect(ref.status).toBe(400);
    expect(await ref.json()).toEqual({ message: { base: ["Reference not found"] } });
    const loop = await post({ token, ref: "main" }, { "X-Gitlab-Event": "Pipeline Hook" });
    expect(loop.status).toBe(403);
  });

  it("delivers a signed Push Hook to a local receiver when local targets are allowed", async () => {
    await setLocalAllowed(true);
    const res = await fetch(`${api}/hooks`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": t.token, "Content-Type": "application/json" },
      body: JSON.stringify({ url: receiver, token: "hook-secret", push_events: true, pipeline_events: true }),
    });
    expect(res.status).toBe(201);
    const hook = (await res.json()) as { id: number; push_events: boolean; token?: string };
    expect(hook.push_events).toBe(true);
    expect(hook.token).toBeUndefined();
    const sha = await t.push({ "README.md": "# hi\n" }, "readme");
    let push: Received | undefined;
    for (let i = 0; i < 150 && !push; i++) {
      push = received.find((r) => r.headers["x-gitlab-event"] === "Push Hook");
      if (!push) await new Promise((r) => setTimeout(r, 100));
    }
    expect(push).toBeDefined();
    expect(push!.headers["x-gitlab-token"]).toBe("hook-secret");
    expect(push!.headers["x-minilab-signature"]).toBe(
      `sha256=${createHmac("sha256", "hook-secret").update(push!.body).digest("hex")}`,
    );
    expect(JSON.parse(push!.body)).toMatchObject({ object_kind: "push", after: sha, ref: "refs/heads/main" });
    // The pipeline of that push reports its end through a Pipeline Hook.
    const succeeded = (r: Received) =>
      r.headers["x-gitlab-event"] === "Pipeline Hook" &&
      (JSON.parse(r.body) as { object_attributes: { status: string } }).object_attributes.status ===
        "success";
    for (let i = 0; i < 600 && !received.some(succeeded); i++) await new Promise((r) => setTimeout(r, 100));
    const done = received.find(succeeded);
    expect(JSON.parse(done!.body)).toMatchObject({
      object_kind: "pipeline",
      object_attributes: { sha, ref: "main" },
    });
    const test = await fetch(`${api}/hooks/${hook.id}/test/push_events`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": t.token },
    });
    expect(test.status).toBe(201);
  });

  it("refuses a local-network hook URL when the setting is off", async () => {
    await setLocalAllowed(false);
    const res = await fetch(`${api}/hooks`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": t.token, "Content-Type": "application/json" },
      body: JSON.stringify({ url: receiver }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("URL is blocked");
  });
});
