/**
 * Trigger API inputs as GitLab accepts them: `variables[KEY]=value` (form, multipart or query string),
 * or a JSON object `variables: {"KEY": "value"}` (also `[{key, value}]`). Values must be strings.
 */
import { AppError } from "@minilab/core";

export function triggerVariables(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: unknown) => {
    if (typeof v === "number" || typeof v === "boolean") v = String(v);
    if (typeof v !== "string") throw new AppError("invalid_input", "variables is invalid");
    out[k] = v;
  };
  const json = params["variables"];
  if (Array.isArray(json)) {
    for (const item of json) {
      if (!item || typeof item !== "object") throw new AppError("invalid_input", "variables is invalid");
      const { key, value } = item as { key?: unknown; value?: unknown };
      if (typeof key !== "string") throw new AppError("invalid_input", "variables is invalid");
      put(key, value);
    }
  } else if (json && typeof json === "object") {
    for (const [k, v] of Object.entries(json)) put(k, v);
  } else if (json !== undefined && json !== "") throw new AppError("invalid_input", "variables is invalid");
  for (const [k, v] of Object.entries(params)) {
    const m = /^variables\[([^\]]*)\]$/.exec(k);
    if (m?.[1] !== undefined) put(m[1], v);
  }
  return out;
}

/** A string parameter or "" (a JSON number ref such as `1` is taken as text, as Grape coerces). */
export const textParam = (params: Record<string, unknown>, key: string): string => {
  const v = params[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
};

/** Largest webhook-form body kept as TRIGGER_PAYLOAD (it travels to the job in its environment). */
export const TRIGGER_PAYLOAD_MAX_BYTES = 64 * 1024;

/** The raw request body as text, refusing more than `limit` bytes (413). */
export async function readBodyText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("too_large", `413 Payload too large (limit ${limit} bytes)`);
  if (!req.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("too_large", `413 Payload too large (limit ${limit} bytes)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
