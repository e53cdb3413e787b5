/**
 * Artifacts and cache, as the server hands them to the runner in the JobSpec, and the artifact
 * upload/download endpoints of the runner API.
 *
 * Upload: `POST /api/v4/jobs/:id/artifacts?artifact_type=archive|dotenv&expire_in=<duration>&name=<name>`
 * with the job's `JOB-TOKEN` and the raw file as body (a zip for `archive`, the dotenv text for
 * `dotenv`). 201 when stored; 413 when larger than the server's limit (the body says the limit);
 * 400 for a malformed zip or dotenv; 403 for a wrong token. Uploading again replaces the file.
 *
 * Download: `GET /api/v4/jobs/:id/artifacts` with the `JOB-TOKEN` of a running job of the same
 * project; answers the zip, or 404 when there is none (never uploaded, expired or deleted).
 */
import { z } from "zod";

export const ARTIFACT_TYPES = ["archive", "dotenv"] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export const ArtifactsSpec = z.object({
  /** Archive name without `.zip`. @defaultValue "artifacts" */
  name: z.string(),
  /** Globs relative to the project dir (`**` spans directories); a directory means its whole tree. */
  paths: z.array(z.string()),
  exclude: z.array(z.string()),
  /** Also every file git does not track (ignored ones included, as GitLab). */
  untracked: z.boolean(),
  when: z.enum(["on_success", "on_failure", "always"]),
  /** GitLab duration (`1 week`), `never`, or null for the server default. */
  expireIn: z.string().nullable(),
  /** `reports:dotenv` files; their variables reach later jobs that depend on this one. */
  dotenv: z.array(z.string()),
});
export type ArtifactsSpec = z.infer<typeof ArtifactsSpec>;

export const CacheSpec = z.object({
  /** Literal key (variables not yet expanded); ignored when `keyFiles` is set. @defaultValue "default" */
  key: z.string(),
  /** `key:files`: the key is a hash of these files' contents (at most 2). */
  keyFiles: z.array(z.string()).optional(),
  /** `key:prefix`, prepended to the files hash. */
  keyPrefix: z.string().optional(),
  paths: z.array(z.string()),
  untracked: z.boolean(),
  policy: z.enum(["pull", "push", "pull-push"]),
  when: z.enum(["on_success", "on_failure", "always"]),
  fallbackKeys: z.array(z.string()),
  /**
   * Appended to the key and to each fallback key (after expansion and `key:files` hashing):
   * `-protected` when the pipeline's ref is protected, else `-non_protected` (GitLab's separate
   * caches, so unprotected refs cannot poison what protected refs restore). Absent when the project
   * turned separate caches off.
   */
  keySuffix: z.enum(["-protected", "-non_protected"]).optional(),
});
export type CacheSpec = z.infer<typeof CacheSpec>;

export const ArtifactDependency = z.object({
  /** Job id to download from (`GET /api/v4/jobs/:id/artifacts`). */
  id: z.number().int().positive(),
  name: z.string(),
  /** Archive size in bytes, for the log line. */
  size: z.number().int().nonnegative(),
});
export type ArtifactDependency = z.infer<typeof ArtifactDependency>;
