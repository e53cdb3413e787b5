import type { Metadata } from "next";
import { Link } from "../../../../../../../../../components/link";
import { notFound } from "next/navigation";
import { FileIcon, FolderIcon } from "../../../../../../../../../components/repo/icons";
import { formatBytes, loadJobArtifacts } from "../../../../../../../../../server/job-artifacts-page";
import { projectPath } from "../../../../../../../../../server/project";

type Params = { params: Promise<{ namespace: string; project: string; id: string; path?: string[] }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Artifacts · Job ${id}` };
}

/** GitLab's artifacts browser: one directory level of the archive at a time. */
export default async function ArtifactsBrowsePage({ params }: Params) {
  const { namespace, project: p, id, path = [] } = await params;
  const found = await loadJobArtifacts(namespace, p, id);
  const archive = found?.artifacts.archive;
  if (!found || !archive) notFound();
  const dir = path.join("/");
  const prefix = dir ? `${dir}/` : "";
  const dirs = new Set<string>();
  const files: { name: string; path: string; size: number }[] = [];
  for (const e of archive.entries) {
    if (!e.path.startsWith(prefix)) continue;
    const rest = e.path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) files.push({ name: rest, path: e.path, size: e.size });
    else dirs.add(rest.slice(0, slash));
  }
  if (dir && dirs.size === 0 && files.length === 0) notFound();
  const jobUrl = `${projectPath(found.project)}/-/jobs/${found.jobId}`;
  const enc = (s: string): string => s.split("/").map(encodeURIComponent).join("/");
  const browse = (sub: string): string => `${jobUrl}/artifacts/browse${sub ? `/${enc(sub)}` : ""}`;
  const crumbs = path.map((seg, i) => ({ name: seg, href: browse(path.slice(0, i + 1).join("/")) }));
  return (
    <div data-testid="artifacts-browser">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h2 className="text-xl font-semibold">Job artifacts</h2>
        <Link href={jobUrl} className="text-sm">
          Job #{found.jobId}
        </Link>
        <a href={`${jobUrl}/artifacts/download`} className="btn ml-auto" download>
          Download artifacts archive
        </a>
      </div>
      <nav aria-label="Path" className="mb-2 text-sm">
        <Link href={browse("")}>artifacts</Link>
        {crumbs.map((c) => (
          <span key={c.href}>
            {" / "}
            <Link href={c.href}>{c.name}</Link>
          </span>
        ))}
      </nav>
      <table className="card w-full text-sm">
        <thead>
          <tr className="muted text-left">
            <th className="p-2">Name</th>
            <th className="p-2 text-right">Size</th>
          </tr>
        </thead>
        <tbody>
          {dir && (
            <tr>
              <td className="p-2" colSpan={2}>
                <Link href={browse(path.slice(0, -1).join("/"))}>..</Link>
              </td>
            </tr>
          )}
          {[...dirs].sort().map((d) => (
            <tr key={`d:${d}`} data-testid="artifact-dir">
              <td className="p-2">
                <Link href={browse(prefix + d)} className="inline-flex items-center gap-1.5">
                  <FolderIcon /> {d}/
                </Link>
              </td>
              <td className="p-2" />
            </tr>
          ))}
          {files
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((f) => (
              <tr key={`f:${f.path}`} data-testid="artifact-file">
                <td className="p-2">
                  <a
                    href={`${jobUrl}/artifacts/file/${enc(f.path)}`}
                    download
                    className="inline-flex items-center gap-1.5"
                  >
                    <FileIcon />
                    {f.name}
                  </a>
                </td>
                <td className="p-2 text-right font-mono text-xs">{formatBytes(f.size)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
