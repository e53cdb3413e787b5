export type { RepoProject, RepoReadOptions } from "./access.ts";
export { resolveTreeRef } from "./resolve-tree-ref.ts";
export { resolveCommit, defaultBranchCommit } from "./resolve-commit.ts";
export { browseTree } from "./browse-tree.ts";
export { readFile, openRawFile } from "./read-file.ts";
export { findReadme, type Readme } from "./find-readme.ts";
export { listProjectCommits } from "./list-project-commits.ts";
export { getCommitWithDiff } from "./get-commit.ts";
export {
  countProjectRefs,
  listProjectBranches,
  listProjectTags,
  type RefWithPipeline,
} from "./list-project-refs.ts";
export { compareRefs } from "./compare-refs.ts";
