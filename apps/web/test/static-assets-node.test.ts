/**
 * Next's hashed build files answered by the Node dispatcher from memory: a browser gets each file
 * byte for byte, in the best encoding it accepts, cacheable forever, with a 304 on revalidation;
 * nothing outside the static directory can be read; what the route declines still reaches Next.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerNodeRoute } from "../src/server/node-routes.ts";
import { staticAssetsRoute } from "../src/server/static-assets-node.ts";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe("/_next/static/ from the Node dispatcher", () => {
  let server: Server;
  let port: number;
  let root: string;
  const script = Buffer.from(`console.log(${JSON.stringify("chunk ".repeat(2000))});\n`);
  const font = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

  const get = (target: string, headers: Record<string, string> = {}, method = "GET") =>
    new Promise<Raw>((resolve, reject) => {
      // A raw request: `fetch` would add its own Accept-Encoding and decode the body.
      const req = request({ host: "127.0.0.1", port, path: target, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on("error", reject);
      req.end();
    });

  beforeAll(async () => {
    const dist = await mkdtemp(path.join(tmpdir(), "minilab-static-"));
    root = path.join(dist, "static");
    await mkdir(path.join(root, "chunks"), { recursive: true });
    await mkdir(path.join(root, "media"), { recursive: true });
    await writeFile(path.join(root, "chunks", "abc123.js"), script);
    await writeFile(path.join(root, "media", "font.woff2"), font);
    await writeFile(path.join(dist, "secret.txt"), "not public");
    registerNodeRoute(staticAssetsRoute(root));
    // Stands in for Next: whatever the dispatcher declines lands here.
    server = createServer((_req, res) => res.writeHead(599).end("next"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server?.close(resolve)));

  it("sends brotli to a browser, gzip to gzip-only clients and the plain file otherwise", async () => {
    const br = await get("/_next/static/chunks/abc123.js", { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers["vary"]).toBe("Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(br.body).equals(script)).toBe(true);

    const gz = await get("/_next/static/chunks/abc123.js", { "Accept-Encoding": "gzip, br;q=0" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(script)).toBe(true);

    const plain = await get("/_next/static/chunks/abc123.js?dpl=x");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(script)).toBe(true);
    expect(plain.headers["etag"]).toBe(br.headers["etag"]);
  });

  it("answers a revalidation with 304 and HEAD with headers only", async () => {
    const first = await get("/_next/static/chunks/abc123.js");
    const etag = String(first.headers["etag"]);
    const again = await get("/_next/static/chunks/abc123.js", { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await get("/_next/static/chunks/abc123.js", { "Accept-Encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-encoding"]).toBe("br");
    expect(Number(head.headers["content-length"])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
  });

  it("sends binary files as they are", async () => {
    const res = await get("/_next/static/media/font.woff2", { "Accept-Encoding": "br, gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("font/woff2");
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.equals(font)).toBe(true);
  });

  it("reads nothing outside the static directory and 404s missing files", async () => {
    for (const target of [
      "/_next/static/../secret.txt",
      "/_next/static/%2e%2e/secret.txt",
      "/_next/static/chunks/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/_next/static/chunks/..%5c..%5csecret.txt",
      "/_next/static/chunks/missing.js",
      "/_next/static/chunks",
      "/_next/static/%E0%A4%A",
    ]) {
      const res = await get(target);
      expect(res.status, target).toBe(404);
      expect(res.body.toString(), target).not.toContain("not public");
    }
  });

  it("leaves other methods, ranges and other paths to Next", async () => {
    expect((await get("/_next/static/chunks/abc123.js", {}, "POST")).status).toBe(599);
    expect((await get("/_next/static/chunks/abc123.js", { Range: "bytes=0-9" })).status).toBe(599);
    expect((await get("/_next/image?url=x")).status).toBe(599);
    expect((await get("/")).status).toBe(599);
  });
});
