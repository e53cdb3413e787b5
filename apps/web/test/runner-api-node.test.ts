/**
 * The runner API's claim / finish / log upload answered by the Node dispatcher (before Next) gives
 * a runner exactly what the Next routes give it: the same status codes, error bodies and headers
 * for a bad runner token, a wrong job token, malformed bodies and log gaps — and the happy path
 * works through it. Requests the dispatcher declines still reach the server's own handler (Next).
 * Real core, Postgres and Redis (DATABASE_URL, REDIS_URL).
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as DbModule from "@minilab/db";

const state = vi.hoisted((): { db: unknown } => ({ db: null }));
vi.mock("@minilab/db", async (importOriginal) => ({
  ...(await importOriginal<typeof DbModule>()),
  getDb: () => state.db,
}));

const { ciFixture } = await import("../../../packages/core/test/helpers/ci-fixture.ts");
const { installRunnerApiServer } = await import("../src/server/runner-api-node.ts");
const claimRoute = await import("../src/app/api/v4/jobs/[id]/claim/route.ts");
const finishRoute = await import("../src/app/api/v4/jobs/[id]/route.ts");
const traceRoute = await import("../src/app/api/v4/jobs/[id]/trace/route.ts");

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

const HEADERS = ["www-authenticate", "range", "job-status", "content-type"];

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? null : (JSON.parse(text) as unknown),
    headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])),
  };
}

describe("runner API through the Node dispatcher", () => {
  let f: Awaited<ReturnType<typeof ciFixture>>;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    f = await ciFixture();
    state.db = f.t.db;
    installRunnerApiServer();
    // Stands in for Next: whatever the dispatcher declines lands here.
    server = createServer((_req, res) => res.writeHead(599).end("next"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await f?.close();
  });

  type Route = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

  /** The same request through the Node dispatcher and through the Next route; both answers. */
  async function both(route: Route, path: string, id: number, init: RequestInit) {
    const node = await answer(await fetch(base + path, init));
    const next = await answer(
      await route(new Request(base + path, init), { params: Promise.resolve({ id: String(id) }) }),
    );
    return { node, next };
  }

  const claim = (id: number, body: string) =>
    both(claimRoute.POST, `/api/v4/jobs/${id}/claim`, id, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
  const finish = (id: number, token: string, body: string) =>
    both(finishRoute.PUT, `/api/v4/jobs/${id}`, id, {
      method: "PUT",
      headers: { "content-type": "application/json", "JOB-TOKEN": token },
      body,
    });
  const trace = (
    id: number,
    token: string,
    range: string | null,
    body: string,
    extra: Record<string, string> = {},
  ) =>
    both(traceRoute.PATCH, `/api/v4/jobs/${id}/trace`, id, {
      method: "PATCH",
      headers: { "JOB-TOKEN": token, ...(range ? { "content-range": range } : {}), ...extra },
      body,
    });

  it("answers client mistakes with the Next routes' 4xx, bodies and headers", async () => {
    const p = await f.pipelineOf(`a: { script: a }`);
    const jobId = (await f.t.db.job.findFirstOrThrow({ where: { pipelineId: p.id } })).id;

    const badRunner = await claim(jobId, JSON.stringify({ token: "not-a-runner-token" }));
    expect(badRunner.node.status).toBe(401);
    expect(badRunner.node.headers["www-authenticate"]).toBe('Basic realm="minilab"');
    expect(badRunner.node).toEqual(badRunner.next);

    const malformed = await claim(jobId, "{not json");
    expect(malformed.node.status).toBe(400);
    expect(malformed.node.body).toMatchObject({ error: "invalid_input" });
    expect(malformed.node).toEqual(malformed.next);

    const noToken = await claim(jobId, JSON.stringify({ info: {} }));
    expect(noToken.node.status).toBe(400);
    expect(noToken.node).toEqual(noToken.next);

    // The job is still pending: none of the above claimed it.
    const claimed = await fetch(`${base}/api/v4/jobs/${jobId}/claim`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: f.runnerToken }),
    });
    expect(claimed.status).toBe(201);
    const spec = (await claimed.json()) as { id: number; token: string };
    expect(spec.id).toBe(jobId);

    const wrongFinish = await finish(jobId, "wrong", JSON.stringify({ state: "success", exitCode: 0 }));
    expect(wrongFinish.node.status).toBeGreaterThanOrEqual(401);
    expect(wrongFinish.node.status).toBeLessThan(500);
    expect(wrongFinish.node).toEqual(wrongFinish.next);

    const badState = await finish(jobId, spec.token, JSON.stringify({ state: "exploded" }));
    expect(badState.node.status).toBe(400);
    expect(badState.node).toEqual(badState.next);

    const wrongTrace = await trace(jobId, "wrong", "0-3", "abc");
    expect(wrongTrace.node.status).toBeGreaterThanOrEqual(401);
    expect(wrongTrace.node.status).toBeLessThan(500);
    expect(wrongTrace.node).toEqual(wrongTrace.next);

    const badRange = await trace(jobId, spec.token, "0-9", "abc");
    expect(badRange.node.status).toBe(400);
    expect(badRange.node).toEqual(badRange.next);

    // A declared length over the limit is refused before the body is read.
    const declared = { "JOB-TOKEN": spec.token, "content-range": "0-3", "content-length": String(5 << 20) };
    const tooLargeNext = await answer(
      await traceRoute.PATCH(
        new Request(`${base}/api/v4/jobs/${jobId}/trace`, {
          method: "PATCH",
          headers: declared,
          body: "abc",
        }),
        { params: Promise.resolve({ id: String(jobId) }) },
      ),
    );
    expect(tooLargeNext.status).toBe(413);
    const tooLargeNode = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const r = request(
        `${base}/api/v4/jobs/${jobId}/trace`,
        { method: "PATCH", headers: declared },
        (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (c: string) => (text += c));
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
            r.destroy();
          });
        },
      );
      r.on("error", reject);
      r.write("abc");
    });
    expect(tooLargeNode).toEqual({ status: 413, body: tooLargeNext.body });
    // An oversized body without a declared length (chunked) is refused once it passes the limit.
    const big = "x".repeat((4 << 20) + 1);
    const bigNode = await fetch(`${base}/api/v4/jobs/${jobId}/trace`, {
      method: "PATCH",
      headers: { "JOB-TOKEN": spec.token, "content-range": `0-${big.length}` },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(bigNode.status).toBe(413);
    expect(await bigNode.json()).toEqual(tooLargeNext.body);
    // A claim's body is read before its token is checked: anyone could send one, so it is capped.
    const hugeClaim = await claim(jobId, JSON.stringify({ token: "x".repeat(2 << 20) }));
    expect(hugeClaim.node.status).toBe(413);
    expect(hugeClaim.node).toEqual(hugeClaim.next);
  });

  it("uploads, reports gaps with Range and finishes like the Next routes", async () => {
    const p = await f.pipelineOf(`b: { script: b }`);
    const jobId = (await f.t.db.job.findFirstOrThrow({ where: { pipelineId: p.id } })).id;
    const res = await fetch(`${base}/api/v4/jobs/${jobId}/claim`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: f.runnerToken }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    const spec = (await res.json()) as { token: string };

    const up = await fetch(`${base}/api/v4/jobs/${jobId}/trace`, {
      method: "PATCH",
      headers: { "JOB-TOKEN": spec.token, "content-range": "0-6" },
      body: "hello\n",
    });
    expect(up.status).toBe(202);
    expect(up.headers.get("range")).toBe("0-6");
    expect(up.headers.get("job-status")).toBe("running");

    const gap = await trace(jobId, spec.token, "100-103", "abc");
    expect(gap.node.status).toBe(416);
    expect(gap.node.headers["range"]).toBe("0-6");
    expect(gap.node).toEqual(gap.next);

    const done = await fetch(`${base}/api/v4/jobs/${jobId}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "JOB-TOKEN": spec.token },
      body: JSON.stringify({ state: "success", exitCode: 0, trace: { offset: 6, content: "YnllCg==" } }),
    });
    expect(done.status).toBe(200);
    const job = await f.t.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("success");
  });

  it("leaves other methods and unusual paths to Next", async () => {
    for (const [method, path] of [
      ["GET", "/api/v4/jobs/1/claim"],
      ["POST", "/api/v4/jobs/abc/claim"],
      ["PUT", "/api/v4/jobs/1/"],
      ["GET", "/api/v4/jobs/1/artifacts"],
      ["POST", "/api/v4/projects"],
    ] as const) {
      const r = await fetch(base + path, { method, ...(method === "GET" ? {} : { body: "{}" }) });
      expect(r.status, `${method} ${path}`).toBe(599);
      await r.text();
    }
  });
});
