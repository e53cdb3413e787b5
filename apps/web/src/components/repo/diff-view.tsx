import { Link } from "../link";
import type { Diff, FileDiff } from "@minilab/git";
import { blobUrl } from "./urls";

const STATUS_LABEL: Record<FileDiff["status"], string> = {
  added: "added",
  deleted: "deleted",
  modified: "modified",
  renamed: "renamed",
  copied: "copied",
  type_changed: "type changed",
};

const ROW: Record<string, string> = {
  add: "bg-green-50",
  del: "bg-red-50",
  context: "",
  meta: "text-zinc-500 italic",
};

const SIGN: Record<string, string> = { add: "+", del: "-", context: " ", meta: "" };

/** Summary line + one card per changed file, with +/- colouring and old/new line numbers. */
export function DiffView({ base, diff, headSha }: { base: string; diff: Diff; headSha: string }) {
  const adds = diff.files.reduce((n, f) => n + f.additions, 0);
  const dels = diff.files.reduce((n, f) => n + f.deletions, 0);
  return (
    <div className="space-y-4" data-testid="diff">
      <p className="text-sm text-zinc-700" data-testid="diff-stats">
        Showing <strong>{diff.files.length}</strong> changed file{diff.files.length === 1 ? "" : "s"} with{" "}
        <span className="font-semibold text-green-700">{adds} additions</span> and{" "}
        <span className="font-semibold text-red-700">{dels} deletions</span>
      </p>
      {diff.truncated && (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          role="status"
        >
          This diff is too large to show in full; some files or lines are left out.
        </p>
      )}
      {diff.files.map((f, i) => (
        <FileCard key={`${f.newPath}-${i}`} base={base} file={f} headSha={headSha} />
      ))}
    </div>
  );
}

function FileCard({ base, file: f, headSha }: { base: string; file: FileDiff; headSha: string }) {
  const name = f.status === "renamed" || f.status === "copied" ? `${f.oldPath} → ${f.newPath}` : f.newPath;
  return (
    <section className="card overflow-hidden" data-testid="diff-file" data-path={f.newPath}>
      <header className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-4 py-2 text-sm">
        <span className="font-mono font-semibold">{name}</span>
        <span className="rounded bg-zinc-200 px-1.5 text-xs text-zinc-700">{STATUS_LABEL[f.status]}</span>
        <span className="ml-auto flex gap-2 font-mono text-xs">
          <span className="text-green-700">+{f.additions}</span>
          <span className="text-red-700">-{f.deletions}</span>
        </span>
        {f.status !== "deleted" && (
          <Link href={blobUrl(base, headSha, f.newPath)} className="text-xs">
            View file
          </Link>
        )}
      </header>
      {f.binary ? (
        <p className="muted px-4 py-3 text-sm">Binary file</p>
      ) : f.hunks.length === 0 && !f.truncated ? (
        <p className="muted px-4 py-3 text-sm">
          {f.oldMode !== f.newMode
            ? `Mode ${f.oldMode} → ${f.newMode}`
            : f.status === "renamed"
              ? "File moved without changes"
              : "No changes to show"}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse font-mono text-[12.5px] leading-5">
            {f.hunks.map((h, hi) => (
              <tbody key={hi}>
                <tr className="bg-blue-50 text-zinc-500">
                  <td colSpan={3} className="px-3 py-0.5">
                    {h.header}
                  </td>
                </tr>
                {h.lines.map((l, li) => (
                  <tr key={li} className={ROW[l.kind]} data-kind={l.kind}>
                    <td className="w-1 px-2 text-right text-zinc-400 select-none">{l.oldLine ?? ""}</td>
                    <td className="w-1 px-2 text-right text-zinc-400 select-none">{l.newLine ?? ""}</td>
                    <td className="px-2 whitespace-pre">
                      <span className="select-none text-zinc-500">{SIGN[l.kind]}</span>
                      {l.text}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          {f.truncated && (
            <p className="muted border-t border-zinc-200 px-4 py-2 text-sm">This file’s diff is truncated.</p>
          )}
        </div>
      )}
    </section>
  );
}
