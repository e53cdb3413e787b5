/**
 * Response helpers for the registry API (`/v2/…`): the Distribution spec's error body, the
 * `Docker-Distribution-API-Version` header on every answer, and the Bearer challenge that sends
 * clients to the token endpoint. HEAD answers never carry a body.
 */
import { coreConfig, isAppError, type ByteSource } from "@minilab/core";
import { RegistryError, errorBody, isRegistryError } from "@minilab/registry";
import { LENGTH_HEADER } from "./content-length.ts";

export const API_VERSION = { "Docker-Distribution-API-Version": "registry/2.0" } as const;

/** `WWW-Authenticate` value pointing at `/jwt/auth`, optionally naming the scope needed. */
export function challenge(scope?: string): string {
  const realm = `${coreConfig().externalUrl}/jwt/auth`;
  return `Bearer realm="${realm}",service="container_registry"${scope ? `,scope="${scope}"` : ""}`;
}

export function reply(
  status: number,
  headers: Record<string, string>,
  body?: BodyInit | null,
  head = false,
): Response {
  const length = headers["Content-Length"];
  return new Response(head ? null : (body ?? null), {
    status,
    headers: { ...API_VERSION, ...headers, ...(length !== undefined ? { [LENGTH_HEADER]: length } : {}) },
  });
}

export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
  head = false,
): Response {
  const text = JSON.stringify(value);
  return reply(
    status,
    { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)), ...headers },
    text,
    head,
  );
}

/** Maps any error to the spec's answer; unexpected errors are logged and become 500. */
export function registryErrorResponse(e: unknown, opts: { scope?: string; head?: boolean } = {}): Response {
  let err: RegistryError;
  if (isRegistryError(e)) err = e;
  else if (isAppError(e))
    err = new RegistryError(
      e.code === "unauthorized"
        ? "UNAUTHORIZED"
        : e.code === "forbidden"
          ? "DENIED"
          : e.code === "not_found"
            ? "NAME_UNKNOWN"
            : "BLOB_UPLOAD_INVALID",
      e.message,
    );
  else if (isClientAbort(e)) err = new RegistryError("BLOB_UPLOAD_INVALID", "request body ended early");
  else {
    console.error(e);
    return jsonReply(
      500,
      { errors: [{ code: "UNKNOWN", message: "internal server error", detail: null }] },
      {},
      opts.head,
    );
  }
  const headers: Record<string, string> = {};
  if (err.status === 401 || err.status === 403) headers["WWW-Authenticate"] = challenge(opts.scope);
  if (err.code === "RANGE_INVALID") {
    const offset = (err.detail as { offset?: number } | null)?.offset ?? 0;
    headers["Range"] = `0-${Math.max(0, offset - 1)}`;
  }
  return jsonReply(err.status, errorBody(err), headers, opts.head);
}

function isClientAbort(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    (e instanceof Error && e.name === "AbortError") ||
    code === "ERR_STREAM_PREMATURE_CLOSE" ||
    code === "ECONNRESET" ||
    code === "ABORT_ERR"
  );
}

/**
 * The request body as a byte stream (never buffered whole), or null without one. The web stream is
 * iterated directly: wrapping it in a Node stream (`Readable.fromWeb`) would add a second queue
 * and a promise hop per socket chunk on the upload path.
 */
export function bodySource(req: Request): ByteSource {
  return req.body ? (req.body as unknown as AsyncIterable<Uint8Array>) : null;
}

/** Reads at most `limit` bytes of the body; more → 413 with `code`. */
export async function readLimited(
  req: Request,
  limit: number,
  code: "MANIFEST_INVALID",
): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new RegistryError(code, `body exceeds ${limit} bytes`, { status: 413 });
  const chunks: Uint8Array[] = [];
  let n = 0;
  const src = bodySource(req);
  if (src)
    for await (const c of src) {
      n += c.byteLength;
      if (n > limit) throw new RegistryError(code, `body exceeds ${limit} bytes`, { status: 413 });
      chunks.push(c);
    }
  return Buffer.concat(chunks);
}

/** `Range` value for an upload holding `size` bytes. */
export const uploadRange = (size: number): string => `0-${Math.max(0, size - 1)}`;
