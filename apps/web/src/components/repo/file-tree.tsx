import { Link } from "../link";
import type { TreeEntry } from "@minilab/git";
import { formatBytes } from "./format";
import { FileIcon, FolderIcon, SubmoduleIcon } from "./icons";
import { blobUrl, treeUrl } from "./urls";

/** A directory listing: folders first, `..` to go up, sizes for files. */
export function FileTree({
  base,
  refName,
  path,
  entries,
}: {
  base: string;
  refName: string;
  path: string;
  entries: TreeEntry[];
}) {
  const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  return (
    <table className="card w-full overflow-hidden text-sm" data-testid="file-tree">
      <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs text-zinc-600">
        <tr>
          <th className="px-4 py-2 font-semibold">Name</th>
          <th className="w-28 px-4 py-2 text-right font-semibold">Size</th>
        </tr>
      </thead>
      <tbody>
        {path !== "" && (
          <tr className="border-b border-zinc-100">
            <td className="px-4 py-2" colSpan={2}>
              <Link href={treeUrl(base, refName, parent)} aria-label="Parent directory">
                ..
              </Link>
            </td>
          </tr>
        )}
        {entries.map((e) => (
          <tr
            key={e.path}
            className="border-b border-zinc-100 last:border-0 hover:bg-zinc-50"
            data-testid="tree-entry"
          >
            <td className="px-4 py-2">
              <span className="flex items-center gap-2">
                {e.type === "tree" ? <FolderIcon /> : e.type === "commit" ? <SubmoduleIcon /> : <FileIcon />}
                {e.type === "commit" ? (
                  <span title={`Submodule at ${e.oid}`}>
                    {e.name} @ <span className="code">{e.oid.slice(0, 8)}</span>
                  </span>
                ) : (
                  <Link
                    href={e.type === "tree" ? treeUrl(base, refName, e.path) : blobUrl(base, refName, e.path)}
                    className="text-zinc-900"
                  >
                    {e.name}
                  </Link>
                )}
              </span>
            </td>
            <td className="muted px-4 py-2 text-right tabular-nums">
              {e.size === null ? "" : formatBytes(e.size)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
