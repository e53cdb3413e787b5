export { registryStore, registryTokenSecret, resetRegistryStore } from "./registry-store.ts";
export { grantedActions, projectOfRepository, ANONYMOUS, type RegistryCaller } from "./registry-access.ts";
export {
  issueRegistryToken,
  REGISTRY_TOKEN_TTL_SECONDS,
  JOB_TOKEN_USERNAME,
  type IssueRegistryTokenOptions,
  type RegistryTokenResponse,
} from "./issue-registry-token.ts";
export { readRegistryToken, requireRegistryAccess } from "./registry-auth.ts";
export {
  ensureRepository,
  statRepositoryBlob,
  startBlobUpload,
  findBlobUpload,
  appendBlobUpload,
  finishBlobUpload,
  cancelBlobUpload,
  mountBlob,
  openBlob,
  openBlobStream,
  type ByteSource,
} from "./registry-blobs.ts";
export {
  putManifest,
  getManifest,
  deleteManifest,
  listTags,
  type PutManifestOptions,
  type StoredManifest,
} from "./registry-manifests.ts";
export { listRegistryCatalog } from "./list-registry-catalog.ts";
export {
  listProjectRegistry,
  deleteRegistryTag,
  type RegistryTagView,
  type RegistryRepositoryView,
  type ListProjectRegistryOptions,
  type DeleteRegistryTagOptions,
} from "./project-registry.ts";
export {
  garbageCollectRegistry,
  REGISTRY_GC_GRACE_MS,
  type GarbageCollectRegistryOptions,
  type RegistryGcResult,
} from "./garbage-collect-registry.ts";
export { startRegistryGc, type StartRegistryGcOptions } from "./registry-gc-loop.ts";
