import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { notFound } from "next/navigation";
import { readFile, resolveTreeRef } from "@minilab/core";
import { CodeView } from "../../../../../../components/repo/code-view";
import { formatBytes } from "../../../../../../components/repo/format";
import { highlightLines } from "../../../../../../components/repo/highlight";
import { PathHeader } from "../../../../../../components/repo/path-header";
import { commitsUrl, joinSegments, rawUrl } from "../../../../../../components/repo/urls";
import { loadRepo, orNotFound } from "../../../../../../server/repo-page";

type Params = { params: Promise<{ namespace: string; project: string; segments: string[] }> };

const IMAGE = /\.(png|jpe?g|gif|webp|bmp|ico)$/i;
/** Like GitLab: bigger files are not rendered, only offered raw. */
const MAX_DISPLAY_BYTES = 512 * 1024;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { segments } = await params;
  return { title: joinSegments(segments).at(-1) ?? "File" };
}

export default async function BlobPage({ params }: Params) {
  const { namespace, project, segments } = await params;
  const ctx = await loadRepo(namespace, project);
  const r = await orNotFound(resolveTreeRef({ ...ctx, segments: joinSegments(segments) }));
  if (r.path === "") notFound();
  const blob = await orNotFound(readFile({ ...ctx, sha: r.sha, path: r.path, maxBytes: MAX_DISPLAY_BYTES }));
  const name = r.path.slice(r.path.lastIndexOf("/") + 1);
  const lines =
    blob.binary || blob.truncated ? [] : await highlightLines(blob.content.toString("utf8"), name);
  return (
    <div>
      <PathHeader base={ctx.base} projectName={ctx.project.path} refName={r.ref} path={r.path}>
        <Link href={commitsUrl(ctx.base, r.ref, r.path)} className="btn">
          History
        </Link>
      </PathHeader>
      <section className="card overflow-hidden" data-testid="blob">
        <header className="flex items-center gap-3 border-b border-zinc-200 bg-zinc-50 px-4 py-2 text-sm">
          <span className="font-mono font-semibold">{name}</span>
          <span className="muted" data-testid="blob-size">
            {formatBytes(blob.size)}
          </span>
          <span className="ml-auto flex gap-2">
            <a href={rawUrl(ctx.base, r.ref, r.path)} className="btn">
              Open raw
            </a>
            <a href={rawUrl(ctx.base, r.ref, r.path, true)} className="btn" download={name}>
              Download
            </a>
          </span>
        </header>
        {blob.binary ? (
          IMAGE.test(name) ? (
            <div className="flex justify-center bg-[repeating-conic-gradient(#f4f4f5_0_25%,#fff_0_50%)] bg-[length:16px_16px] p-6">
              <img src={rawUrl(ctx.base, r.ref, r.path)} alt={name} className="max-h-[70vh] max-w-full" />
            </div>
          ) : (
            <p className="px-4 py-8 text-center text-sm text-zinc-600" data-testid="binary-notice">
              This is a binary file ({formatBytes(blob.size)}).{" "}
              <a href={rawUrl(ctx.base, r.ref, r.path, true)}>Download it</a>
            </p>
          )
        ) : blob.truncated ? (
          <p className="px-4 py-8 text-center text-sm text-zinc-600" data-testid="truncated-notice">
            This file is too large to display here ({formatBytes(blob.size)}, the limit is{" "}
            {formatBytes(MAX_DISPLAY_BYTES)}). <a href={rawUrl(ctx.base, r.ref, r.path)}>View it raw</a> or{" "}
            <a href={rawUrl(ctx.base, r.ref, r.path, true)}>download it</a>.
          </p>
        ) : (
          <CodeView lines={lines} />
        )}
      </section>
    </div>
  );
}
