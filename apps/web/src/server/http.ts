/**
 * The one place that turns errors into HTTP responses for route handlers. Route handlers are
 * transport adapters: `return handle(async () => { …parse…; return json(await useCase(…)); })`.
 */
import { AppError, HTTP_STATUS, isAppError } from "@minilab/core";
import type { z } from "zod";

export function json(body: unknown, init?: ResponseInit): Response {
  return Response.json(body, init);
}

export function errorResponse(e: unknown): Response {
  if (isAppError(e)) {
    const headers = new Headers();
    if (e.code === "unauthorized") headers.set("WWW-Authenticate", 'Basic realm="minilab"');
    return Response.json(
      { message: e.message, error: e.code, ...(e.details ?? {}) },
      { status: HTTP_STATUS[e.code], headers },
    );
  }
  console.error(e);
  return Response.json({ message: "500 Internal Server Error" }, { status: 500 });
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

/** Reads a JSON body; a malformed one is the client's mistake (400), not ours. */
export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("invalid_input", "Request body is not valid JSON");
  }
}
