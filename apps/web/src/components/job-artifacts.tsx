import { Link } from "./link";
import { isoTitle, timeAgo } from "../lib/format";

/**
 * The job page's "Job artifacts" box (GitLab's sidebar block): size, how long they are kept,
 * Download and Browse. Rendered only when the job has an unexpired archive.
 */
export function JobArtifactsPanel({
  jobUrl,
  size,
  files,
  expireAt,
}: {
  jobUrl: string;
  size: string;
  files: number;
  expireAt: Date | null;
}) {
  return (
    <section aria-label="Job artifacts" className="card h-fit p-4 text-sm" data-testid="job-artifacts">
      <h3 className="mb-2 font-semibold">Job artifacts</h3>
      <p className="muted mb-3" data-testid="job-artifacts-expiry">
        {expireAt ? (
          <>
            These artifacts will be removed{" "}
            <time dateTime={expireAt.toISOString()} title={isoTitle(expireAt)}>
              {inFuture(expireAt)}
            </time>
            .
          </>
        ) : (
          "These artifacts are kept until they are deleted."
        )}{" "}
        {files} file{files === 1 ? "" : "s"}, {size}.
      </p>
      <div className="flex gap-2">
        <a
          href={`${jobUrl}/artifacts/download`}
          className="btn"
          download
          data-testid="job-artifacts-download"
        >
          Download
        </a>
        <Link href={`${jobUrl}/artifacts/browse`} className="btn" data-testid="job-artifacts-browse">
          Browse
        </Link>
      </div>
    </section>
  );
}

function inFuture(date: Date): string {
  // timeAgo measures `now - date`; swapping the arguments measures the time left instead.
  const left = timeAgo(new Date(), date);
  return left === "just now" ? "in a moment" : `in ${left.replace(/ ago$/, "")}`;
}
