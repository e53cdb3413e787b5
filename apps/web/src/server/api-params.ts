/**
 * REST API parameters as GitLab (Grape) takes them: from the query string, a JSON body or a form body,
 * merged (body wins); bad ones are a 400 naming each parameter — `{"error": "name is missing,
 * visibility does not have a valid value"}`.
 */
import { AppError } from "@minilab/core";
import { z } from "zod";

type Raw = Record<string, unknown>;

async function bodyParams(req: Request): Promise<Raw> {
  if (req.method === "GET" || req.method === "HEAD") return {};
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await req.text();
    if (!text.trim()) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Raw;
    } catch {
      // fall through to the 400 below
    }
    throw new AppError("invalid_input", "The request body is not a JSON object");
  }
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    try {
      const form = await req.formData();
      const out: Raw = {};
      for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
      return out;
    } catch {
      throw new AppError("invalid_input", "The request body is not a valid form");
    }
  }
  return {};
}

/** Query string and body, merged. */
export async function readParams(req: Request): Promise<Raw> {
  const query: Raw = {};
  for (const [k, v] of new URL(req.url).searchParams) {
    // `scope[]=a&scope[]=b` → scope: [a, b], as Rack parses it.
    if (k.endsWith("[]")) {
      const key = k.slice(0, -2);
      const prev = query[key];
      query[key] = Array.isArray(prev) ? [...(prev as string[]), v] : [v];
    } else query[k] = v;
  }
  return { ...query, ...(await bodyParams(req)) };
}

function describe(issue: z.core.$ZodIssue, input: Raw): string {
  const name = issue.path.map(String).join(".") || "(body)";
  const top = issue.path[0];
  if (typeof top === "string" && (input[top] === undefined || input[top] === null))
    return `${name} is missing`;
  if (issue.code === "invalid_value") return `${name} does not have a valid value`;
  if (issue.code === "custom" || issue.code === "too_big" || issue.code === "too_small")
    return `${name} ${issue.message}`;
  return `${name} is invalid`;
}

/** Parses with a zod schema; failures become GitLab's 400 naming each parameter. */
export function parseParams<T>(schema: z.ZodType<T>, input: Raw): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const problems = [...new Set(r.error.issues.map((i) => describe(i, input)))];
    throw new AppError("invalid_input", problems.join(", "));
  }
  return r.data;
}

/** Booleans as forms and query strings send them. */
export const zBool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);

/** Integers as forms and query strings send them (digits only). */
export const zInt = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d{1,15}$/)
    .transform(Number),
]);

/** Positive 32-bit database ids. */
export const zId = zInt.pipe(z.number().int().min(1).max(2_147_483_647));
