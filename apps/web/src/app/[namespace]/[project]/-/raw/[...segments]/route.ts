/**
 * Raw file bytes, streamed from git. Text is served as text/plain (never as HTML, whatever the
 * file says: nosniff + a sandbox CSP), known image types as themselves, everything else as an
 * octet stream. `?inline=false` asks for a download (Content-Disposition: attachment).
 *
 * Unlike pages (see joinSegments), route handlers receive catch-all params already decoded.
 */
import { isAppError, openRawFile, resolveTreeRef } from "@minilab/core";
import { getDb } from "@minilab/db";
import { errorResponse } from "../../../../../../server/http";
import { findReadableProject } from "../../../../../../server/project";

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  ico: "image/x-icon",
};

type Ctx = { params: Promise<{ namespace: string; project: string; segments: string[] }> };

export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  const { namespace, project: path, segments } = await params;
  const { project, user } = await findReadableProject(namespace, path);
  if (!project) return new Response("Not Found\n", { status: 404 });
  const db = getDb();
  try {
    const r = await resolveTreeRef({ db, user, project, segments: segments.filter((s) => s !== "") });
    const file = await openRawFile({ db, user, project, sha: r.sha, path: r.path });
    const name = r.path.slice(r.path.lastIndexOf("/") + 1);
    const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
    const type = file.binary ? (IMAGE_TYPES[ext] ?? "application/octet-stream") : "text/plain; charset=utf-8";
    const download = new URL(req.url).searchParams.get("inline") === "false";
    return new Response(file.stream, {
      headers: {
        "Content-Type": type,
        "Content-Length": String(file.size),
        "Content-Disposition": `${download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(name)}`,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        "Cache-Control": "private, no-cache",
      },
    });
  } catch (e) {
    if (isAppError(e) && ["not_found", "unauthorized", "invalid_input"].includes(e.code)) {
      return new Response("Not Found\n", { status: 404 });
    }
    return errorResponse(e);
  }
}
