/**
 * One webhook HTTP POST over node:http(s), connecting only to addresses the SSRF guard accepted (see
 * ssrf.ts), with a timeout, no redirects followed (as GitLab) and the response body cut to an excerpt.
 */
import http from "node:http";
import https from "node:https";
import { guardedLookup } from "./ssrf.ts";

export interface SendResult {
  status: number;
  headers: Record<string, string>;
  /** The first {@link RESPONSE_EXCERPT_BYTES} of the body. */
  body: string;
}

export const RESPONSE_EXCERPT_BYTES = 8 * 1024;
/** GitLab's webhook timeout. */
export const HOOK_TIMEOUT_MS = 10_000;

export function sendHookRequest(opts: {
  url: URL;
  headers: Record<string, string>;
  body: string;
  allowLocal: boolean;
  verifySsl: boolean;
  timeoutMs?: number;
}): Promise<SendResult> {
  const { url } = opts;
  const mod = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: "POST",
        headers: { ...opts.headers, "Content-Length": String(Buffer.byteLength(opts.body)) },
        lookup: guardedLookup(opts.allowLocal) as never,
        timeout: opts.timeoutMs ?? HOOK_TIMEOUT_MS,
        ...(url.protocol === "https:" ? { rejectUnauthorized: opts.verifySsl } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < RESPONSE_EXCERPT_BYTES) chunks.push(c);
          size += c.length;
          if (size >= RESPONSE_EXCERPT_BYTES) res.destroy();
        });
        const done = () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString("utf8"),
          });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", () => done());
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`timed out after ${opts.timeoutMs ?? HOOK_TIMEOUT_MS} ms`)),
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}
