/**
 * The stored job log as plain text (ANSI codes included), GitLab's `/-/jobs/:id/raw`.
 * - `?download=1` serves it as an attachment (`job-<id>.log`);
 * - `?end=<offset>&limit=<bytes>` serves a line-aligned window ending at `end` (the log viewer's
 *   "load earlier lines"), described by `X-Log-Start`, `X-Log-End` and `X-Log-First-Line`.
 */
import { canReadBuilds, getJob, readJobLog, readJobLogWindow } from "@minilab/core";
import { getDb } from "@minilab/db";
import { findReadableProject, parseId } from "../../../../../../../server/project";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_WINDOW = 4 * 1024 * 1024;
const notFound = () => new Response("404 Not Found\n", { status: 404 });
const offset = (s: string | null): number | null => (s !== null && /^\d{1,12}$/.test(s) ? Number(s) : null);

export async function GET(
  req: Request,
  { params }: { params: Promise<{ namespace: string; project: string; id: string }> },
): Promise<Response> {
  const { namespace, project: path, id } = await params;
  const jobId = parseId(id);
  const { project, user, level } = await findReadableProject(namespace, path);
  if (!project || jobId === null || !canReadBuilds(user, project, level)) return notFound();
  const db = getDb();
  const job = await getJob({ db, projectId: project.id, jobId });
  if (!job) return notFound();
  const q = new URL(req.url).searchParams;
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
  const end = offset(q.get("end"));
  if (end !== null) {
    const limit = Math.min(MAX_WINDOW, Math.max(1, offset(q.get("limit")) ?? 256 * 1024));
    const w = await readJobLogWindow({ db, jobId, end: Math.min(end, job.logSize), limit });
    headers["X-Log-Start"] = String(w.start);
    headers["X-Log-End"] = String(w.end);
    headers["X-Log-First-Line"] = String(w.firstLine);
    return new Response(new Uint8Array(w.bytes), { headers });
  }
  if (q.get("download") === "1") headers["Content-Disposition"] = `attachment; filename="job-${job.id}.log"`;
  return new Response(new Uint8Array(await readJobLog({ db, jobId })), { headers });
}
