/**
 * The one place that turns errors into HTTP responses for route handlers. Route handlers are
 * transport adapters: `return handle(async () => { …parse…; return json(await useCase(…)); })`.
 */
import { AppError, HTTP_STATUS, isAppError } from "@minilab/core";
import type { z } from "zod";

export function json(body: unknown, init?: ResponseInit): Response {
  return Response.json(body, init);
}

/** An error as an HTTP answer: status, headers and JSON body (GitLab's `message`, our `error` code). */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** The one mapping of errors to HTTP: AppErrors by code; anything else is our bug (500, logged). */
export function errorReply(e: unknown): ErrorReply {
  if (isAppError(e)) {
    return {
      status: HTTP_STATUS[e.code],
      headers: e.code === "unauthorized" ? { "WWW-Authenticate": 'Basic realm="minilab"' } : {},
      body: { message: e.message, error: e.code, ...(e.details ?? {}) },
    };
  }
  console.error(e);
  return { status: 500, headers: {}, body: { message: "500 Internal Server Error" } };
}

export function errorResponse(e: unknown): Response {
  const r = errorReply(e);
  return Response.json(r.body, { status: r.status, headers: r.headers });
}

/** Runs a handler body and maps any thrown error with {@link errorResponse}. */
export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    return errorResponse(e);
  }
}

/** Parses with a zod schema; failures become a 400 naming the fields. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const fields = r.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
    throw new AppError("invalid_input", `Invalid input: ${fields.join("; ")}`, { fields });
  }
  return r.data;
}

/**
 * Reads a JSON body (as `Request.json()` does: UTF-8, BOM dropped); a malformed one is the client's
 * mistake (400), not ours. Takes a `Request` or anything with its `text()`.
 */
export async function readJson(req: { text(): Promise<string> }): Promise<unknown> {
  try {
    return JSON.parse(await req.text()) as unknown;
  } catch {
    throw new AppError("invalid_input", "Request body is not valid JSON");
  }
}
