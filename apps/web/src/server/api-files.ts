/** Shared by the repository files API routes. */
import { AppError, isAppError } from "@minilab/core";

/** Runs a file read; a missing file (or a directory) is GitLab's `404 File Not Found`. */
export async function fileOrNotFound<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (isAppError(e) && (e.code === "not_found" || e.code === "invalid_input"))
      throw new AppError("not_found", "404 File Not Found");
    throw e;
  }
}

/** `a/b/c.txt` → dir `a/b`, name `c.txt`. */
export function splitPath(path: string): { dir: string; name: string } {
  const clean = path.replace(/^\/+/, "");
  const i = clean.lastIndexOf("/");
  return i < 0 ? { dir: "", name: clean } : { dir: clean.slice(0, i), name: clean.slice(i + 1) };
}
