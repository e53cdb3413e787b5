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
export { readBlobAtCommit, readCommit, resolveRef, isValidRefName, type CommitInfo } from "./read.ts";
