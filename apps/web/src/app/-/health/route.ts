export const dynamic = "force-dynamic";

/** GET /-/health — the process is up (GitLab answers "GitLab OK"). */
export function GET(): Response {
  return new Response("minilab OK", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
