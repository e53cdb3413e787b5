/**
 * @minilab/git — bare-repository storage and git smart HTTP on top of the `git` binary.
 * Pure Node: no database, no HTTP framework. May import only Node built-ins.
 */
export { pktLine, FLUSH_PKT } from "./pkt-line.ts";
export { GitInputError, isGitInputError } from "./errors.ts";
export { repoDir, initBareRepo } from "./repo-dir.ts";
export {
  advertiseRefs,
  serviceRpc,
  isGitService,
  GIT_SERVICES,
  advertisementContentType,
  requestContentType,
  resultContentType,
  type GitService,
  type ServiceRpc,
  type ServiceRpcOptions,
  type ServiceRpcResult,
} from "./smart-http.ts";
export type { RefUpdate } from "./push-log.ts";
export {
  refuseRefUpdate,
  matchesBranchPattern,
  PROTECTED_PUSH_MESSAGE,
  PROTECTED_FORCE_PUSH_MESSAGE,
  PROTECTED_DELETE_MESSAGE,
  type PushPolicy,
  type PushPolicyRule,
  type PolicyRefUpdate,
} from "./push-policy.ts";
export { readBlobAtCommit, readCommit, resolveRef, isValidRefName, type CommitInfo } from "./read.ts";
export { listTree, pathType, type TreeEntry, type TreeEntryType } from "./tree.ts";
export { listFiles, changedPaths, mergeBase } from "./paths.ts";
export { readBlob, blobSize, streamBlob, DEFAULT_BLOB_MAX_BYTES, type BlobRead } from "./blob.ts";
export { listCommits, getCommit, type CommitSummary, type CommitPage } from "./log.ts";
export { listPushCommits, type PushCommit } from "./push-commits.ts";
export {
  diffCommits,
  readCommitDiff,
  compareCommits,
  type Diff,
  type DiffLimits,
  type Comparison,
} from "./diff.ts";
export type { FileDiff, DiffHunk, DiffLine, DiffStatus } from "./diff-parse.ts";
export { listBranches, listTags, resolveRefPath, type RefInfo, type ResolvedRefPath } from "./refs.ts";
export { normalizePath, looksBinary } from "./read-input.ts";
export { setHeadBranch } from "./head.ts";
