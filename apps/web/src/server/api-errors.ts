/**
 * AppError → HTTP for the REST API v4, with GitLab's bodies so stock clients (gitbeaker, python-gitlab,
 * scripts parsing `message`) understand them:
 *
 * - 400 bad parameter: `{"error": "name is missing"}`; a model validation: `{"message": {"name": ["…"]}}`
 * - 401: `{"message": "401 Unauthorized"}`; 403: `{"message": "403 Forbidden"}` or GitLab's
 *   insufficient_scope body; 404: `{"message": "404 Project Not Found"}`; 409: `{"message": "…"}`.
 */
import { HTTP_STATUS, isAppError, type AppError } from "@minilab/core";

type FieldMessages = Record<string, string[]>;

function fieldMessages(e: AppError): FieldMessages | null {
  const d = e.details ?? {};
  const fields = d["fields"];
  if (fields && typeof fields === "object" && !Array.isArray(fields)) {
    return Object.fromEntries(
      Object.entries(fields as Record<string, unknown>).map(([k, v]) => [k, [String(v)]]),
    );
  }
  if (typeof d["field"] === "string") return { [d["field"]]: [e.message] };
  return null;
}

/** `variable not found` → `404 Variable Not Found`, as GitLab words it. */
function notFoundMessage(message: string): string {
  if (message.startsWith("404")) return message;
  const what = /^(.+?) not found$/i.exec(message)?.[1] ?? "";
  const title = what.replace(/\b\w/g, (c) => c.toUpperCase());
  return title && !/\s/.test(what.trim()) ? `404 ${title} Not Found` : `404 Not Found`;
}

function body(e: AppError): { status: number; body: Record<string, unknown> } {
  switch (e.code) {
    case "invalid_input": {
      const fields = fieldMessages(e);
      return { status: 400, body: fields ? { message: fields } : { error: e.message } };
    }
    case "unauthorized":
      return { status: 401, body: { message: "401 Unauthorized" } };
    case "forbidden":
      if (e.details?.["error"] === "insufficient_scope") return { status: 403, body: { ...e.details } };
      return {
        status: 403,
        body: { message: e.message.startsWith("403") ? e.message : `403 Forbidden - ${e.message}` },
      };
    case "not_found":
      return { status: 404, body: { message: notFoundMessage(e.message) } };
    case "conflict": {
      // Uniqueness is a model validation in GitLab: 400 with the field named.
      const fields = fieldMessages(e);
      return fields
        ? { status: 400, body: { message: fields } }
        : { status: 409, body: { message: e.message } };
    }
    default:
      return { status: HTTP_STATUS[e.code], body: { message: e.message } };
  }
}

export function apiErrorResponse(e: unknown): Response {
  if (isAppError(e)) {
    const r = body(e);
    const headers = new Headers();
    if (r.status === 401) headers.set("WWW-Authenticate", 'Bearer realm="minilab"');
    return Response.json(r.body, { status: r.status, headers });
  }
  console.error(e);
  return Response.json({ message: "500 Internal Server Error" }, { status: 500 });
}
