export { artifactsSpec, cacheSpecs } from "./job-file-specs.ts";
export { parseDotenv, DOTENV_MAX_BYTES, DOTENV_MAX_VARIABLES } from "./dotenv.ts";
export {
  uploadJobArtifact,
  type UploadJobArtifactOptions,
  type UploadedArtifact,
} from "./upload-job-artifact.ts";
export { findJobArtifacts, type FindJobArtifactsOptions, type JobArtifacts } from "./find-job-artifacts.ts";
export {
  downloadArtifactsForJob,
  type DownloadArtifactsForJobOptions,
} from "./download-artifacts-for-job.ts";
export { deleteJobArtifacts, type DeleteJobArtifactsOptions } from "./delete-job-artifacts.ts";
export { expireArtifacts, type ExpireArtifactsOptions } from "./expire-artifacts.ts";
export { sweepOrphanArtifacts, type SweepOrphanArtifactsOptions } from "./sweep-orphan-artifacts.ts";
export { startArtifactExpiry, type StartArtifactExpiryOptions } from "./artifact-expiry-loop.ts";
export { dependencyArtifacts, type DependencyArtifacts } from "./dependency-artifacts.ts";
export { openArchiveEntry, listArchive, type ArchiveEntry } from "./zip-read.ts";
