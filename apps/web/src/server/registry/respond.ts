/**
 * Request/reply types and helpers of the registry API (`/v2/…`): the Distribution spec's error
 * body, the `Docker-Distribution-API-Version` header on every answer, and the Bearer challenge that
 * sends clients to the token endpoint. HEAD answers never carry a body.
 *
 * The handlers see a {@link RegistryRequest} and return a {@link RegistryReply} instead of web
 * `Request`/`Response`, so one implementation serves both transports: the registry's own Node
 * server path (`node-server.ts`: `IncomingMessage` body read by events, blob files written to the
 * socket from reused buffers) and the Next route (`app/v2/[[...path]]/route.ts`, see
 * {@link toResponse}).
 */
import type { BlobFile, BodySource } from "@minilab/registry";
import { coreConfig, isAppError } from "@minilab/core";
import { RegistryError, errorBody, handleByteStream, isRegistryError } from "@minilab/registry";
import { LENGTH_HEADER } from "./content-length.ts";

export const API_VERSION = { "Docker-Distribution-API-Version": "registry/2.0" } as const;

export interface RegistryRequest {
  method: string;
  url: URL;
  /** A request header, or null (names are case-insensitive). */
  header(name: string): string | null;
  /** The body as sent (never buffered whole); null for GET and HEAD. */
  body: BodySource;
}

export interface RegistryReply {
  status: number;
  headers: Record<string, string>;
  /** Bytes, text, an open blob file (the transport writes and closes it), or none. */
  body: Uint8Array | string | BlobFile | null;
}

export const isBlobFile = (b: RegistryReply["body"]): b is BlobFile =>
  b !== null && typeof b === "object" && "handle" in b;

/** `WWW-Authenticate` value pointing at `/jwt/auth`, optionally naming the scope needed. */
export function challenge(scope?: string): string {
  const realm = `${coreConfig().externalUrl}/jwt/auth`;
  return `Bearer realm="${realm}",service="container_registry"${scope ? `,scope="${scope}"` : ""}`;
}

export function reply(
  status: number,
  headers: Record<string, string>,
  body?: RegistryReply["body"],
  head = false,
): RegistryReply {
  return { status, headers: { ...API_VERSION, ...headers }, body: head ? null : (body ?? null) };
}

export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
  head = false,
): RegistryReply {
  const text = JSON.stringify(value);
  return reply(
    status,
    { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)), ...headers },
    text,
    head,
  );
}

/** Maps any error to the spec's answer; unexpected errors are logged and become 500. */
export function registryErrorResponse(
  e: unknown,
  opts: { scope?: string; head?: boolean } = {},
): RegistryReply {
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

/** The request body as a byte stream (never buffered whole), or null without one. */
export const bodySource = (req: RegistryRequest): BodySource => req.body;

/**
 * A web `Request` (the Next route) as a {@link RegistryRequest}. Its body, a web stream, is
 * iterated directly: wrapping it in a Node stream (`Readable.fromWeb`) would add a second queue.
 */
export function fromWebRequest(req: Request): RegistryRequest {
  return {
    method: req.method,
    url: new URL(req.url),
    header: (name) => req.headers.get(name),
    body: req.body ? (req.body as unknown as AsyncIterable<Uint8Array>) : null,
  };
}

/**
 * A reply as a web `Response` for the Next route: a blob file becomes a web byte stream, and the
 * length is repeated in {@link LENGTH_HEADER} because Next drops `Content-Length` (content-length.ts).
 */
export async function toResponse(r: RegistryReply): Promise<Response> {
  const length = r.headers["Content-Length"];
  const headers = { ...r.headers, ...(length !== undefined ? { [LENGTH_HEADER]: length } : {}) };
  let body: BodyInit | null = null;
  if (isBlobFile(r.body)) {
    const { handle, start, end } = r.body;
    if (end > start) body = handleByteStream(handle, start, end);
    else await handle.close();
  } else if (typeof r.body === "string") body = r.body;
  else if (r.body) body = r.body as Uint8Array<ArrayBuffer>;
  return new Response(body, { status: r.status, headers });
}

/** Reads at most `limit` bytes of the body; more → 413 with `code`. */
export async function readLimited(
  req: RegistryRequest,
  limit: number,
  code: "MANIFEST_INVALID",
): Promise<Uint8Array> {
  const declared = Number(req.header("content-length") ?? "0");
  if (declared > limit) throw new RegistryError(code, `body exceeds ${limit} bytes`, { status: 413 });
  const chunks: Uint8Array[] = [];
  let n = 0;
  const src = bodySource(req);
  if (src)
    for await (const c of src as AsyncIterable<Uint8Array>) {
      n += c.byteLength;
      if (n > limit) throw new RegistryError(code, `body exceeds ${limit} bytes`, { status: 413 });
      chunks.push(c);
    }
  return Buffer.concat(chunks);
}

/** `Range` value for an upload holding `size` bytes. */
export const uploadRange = (size: number): string => `0-${Math.max(0, size - 1)}`;
