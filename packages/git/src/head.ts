import { GitInputError } from "./errors.ts";
import { gitOk, runGit } from "./exec.ts";
import { isValidRefName } from "./read.ts";

/**
 * Points the bare repository's HEAD at `branch` (what clones check out, GitLab's default branch).
 * The branch must exist: HEAD at a missing branch would make every clone empty.
 */
export async function setHeadBranch(dir: string, branch: string): Promise<void> {
  if (!isValidRefName(branch))
    throw new GitInputError("invalid_input", `Invalid branch: ${JSON.stringify(branch)}`);
  const ref = `refs/heads/${branch}`;
  const exists = await runGit(["-C", dir, "show-ref", "--verify", "--quiet", "--end-of-options", ref]);
  if (exists.code !== 0) throw new GitInputError("not_found", `Branch ${branch} not found`);
  await gitOk(["-C", dir, "symbolic-ref", "HEAD", ref]);
}
