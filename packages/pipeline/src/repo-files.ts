/** {@link RepoFiles} over an in-memory `path → text` record (tests, callers that already hold the files). */
import type { RepoFiles } from "./types.ts";

export function filesFromRecord(files: Readonly<Record<string, string>>): RepoFiles {
  const paths = Object.keys(files).sort();
  return {
    readFile: (path) => (Object.hasOwn(files, path) ? (files[path] ?? null) : null),
    listFiles: () => paths,
  };
}
