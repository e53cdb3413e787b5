/**
 * The engine reads repository files synchronously through `RepoFiles`; git reads are async. So the
 * config is parsed, the `include:local` paths (or the file list, for wildcard includes) it asked for
 * and did not get are read from git, and it is parsed again — until nothing new is asked for (bounded
 * by the engine's include limit). The file list is read once per commit, only when something needs
 * it (a wildcard include here, `rules:exists` in ci-plan-inputs.ts).
 */
import { isGitInputError, listFiles, readBlobAtCommit } from "@minilab/git";
import { MAX_INCLUDES, parse, type ParseResult, type RepoFiles } from "@minilab/pipeline";

/** Repository files at one commit (none when `sha` is null: an empty repository). */
export class GitRepoFiles implements RepoFiles {
  private readonly known = new Map<string, string | null>();
  private list: string[] | null = null;
  /** Paths (and whether the list) the engine asked for since the last {@link fetchAsked}. */
  private asked = new Set<string>();
  private askedList = false;

  constructor(
    private readonly dir: string,
    private readonly sha: string | null,
  ) {}

  readFile(path: string): string | null {
    if (!this.known.has(path) && this.sha) this.asked.add(path);
    return this.known.get(path) ?? null;
  }

  listFiles(): string[] {
    if (this.list === null && this.sha) this.askedList = true;
    return this.list ?? [];
  }

  /** Paths that were read and exist: the local files a config included. */
  readPaths(): string[] {
    return [...this.known].filter(([, text]) => text !== null).map(([path]) => path);
  }

  /** True when the engine asked for something not loaded yet. */
  get pending(): boolean {
    return this.asked.size > 0 || this.askedList;
  }

  async fetchAsked(): Promise<void> {
    const asked = this.asked;
    this.asked = new Set();
    if (this.askedList) await this.loadList();
    this.askedList = false;
    if (!this.sha) return;
    for (const path of asked) {
      const blob = await readBlobAtCommit(this.dir, this.sha, path).catch((e: unknown) => {
        // A path git refuses (`..`, empty segments) names no file: the engine reports it missing.
        if (isGitInputError(e) && e.code === "invalid_input") return null;
        throw e;
      });
      this.known.set(path, blob === null ? null : blob.toString("utf8"));
    }
  }

  async loadList(): Promise<void> {
    if (this.list === null) this.list = this.sha ? await listFiles(this.dir, this.sha) : [];
  }
}

export async function parseWithRepoFiles(
  dir: string,
  sha: string | null,
  text: string,
): Promise<{ parsed: ParseResult; files: GitRepoFiles }> {
  const files = new GitRepoFiles(dir, sha);
  for (let round = 0; ; round++) {
    const parsed = parse(text, { files });
    if (!files.pending || round > MAX_INCLUDES) return { parsed, files };
    await files.fetchAsked();
  }
}
