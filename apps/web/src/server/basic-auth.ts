import { AppError } from "@minilab/core";

/**
 * HTTP Basic credentials of a request (git smart HTTP, the registry's token endpoint); null without
 * an Authorization header; 401 when malformed.
 */
export function basicCredentials(header: string | null): { username: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) throw new AppError("unauthorized", "HTTP Basic: Access denied");
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i <= 0) throw new AppError("unauthorized", "HTTP Basic: Access denied");
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
