/**
 * The engine reads repository files synchronously through `RepoFiles`; git reads are async. So the
 * config is parsed, the `include:local` paths it asked for and did not get are read from git, and it
 * is parsed again — until no new path is asked for (bounded by the engine's include limit).
 * `listFiles` is empty here, so wildcard includes and `rules:exists` do not match yet in pipelines.
 */
import { readBlobAtCommit } from "@minilab/git";
import { MAX_INCLUDES, parse, type ParseResult, type RepoFiles } from "@minilab/pipeline";

export async function parseWithRepoFiles(
  dir: string,
  sha: string,
  text: string,
): Promise<{ parsed: ParseResult; files: RepoFiles }> {
  const known = new Map<string, string | null>();
  for (let round = 0; ; round++) {
    const asked = new Set<string>();
    const files: RepoFiles = {
      readFile: (path) => {
        if (!known.has(path)) asked.add(path);
        return known.get(path) ?? null;
      },
      listFiles: () => [],
    };
    const parsed = parse(text, { files });
    if (asked.size === 0 || round > MAX_INCLUDES) return { parsed, files };
    for (const path of asked) {
      const blob = await readBlobAtCommit(dir, sha, path);
      known.set(path, blob === null ? null : blob.toString("utf8"));
    }
  }
}
