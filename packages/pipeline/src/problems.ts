/**
 * Typed problems. `path` is GitLab's colon path (`jobs:build:needs`); `message` is the full text a user
 * sees, worded like GitLab's. `line`/`column` (1-based) point into `file` when the key is located there.
 */
export type Problem = {
  path: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  severity: "error" | "warning";
};

/** Finds a YAML path's position; returns null when the key is not in any loaded file. */
export type Locate = (path: (string | number)[]) => { file: string; line: number; column: number } | null;

export class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly locate: Locate = () => null) {}

  /**
   * Records a problem. `path` is GitLab's colon path; `message` is complete, GitLab-style; `at` is the
   * YAML key path used to find line:column (the nearest located ancestor wins).
   */
  add(
    path: string,
    message: string,
    at: (string | number)[] = [],
    severity: Problem["severity"] = "error",
  ): void {
    let pos = null;
    for (let n = at.length; n > 0 && !pos; n--) pos = this.locate(at.slice(0, n));
    this.list.push({
      path,
      message,
      file: pos?.file ?? null,
      line: pos?.line ?? null,
      column: pos?.column ?? null,
      severity,
    });
  }

  get count(): number {
    return this.list.length;
  }
}

export const jobPath = (name: string): string => `jobs:${name}`;
