/**
 * Runner uploads a running job's artifact (contracts/artifacts.ts): the zip of `artifacts:paths` or a
 * `reports:dotenv` file. Authenticated by the job's own token, so only the job itself can attach
 * files to it, and only while it runs. The body is streamed to disk with the size limit enforced as
 * it arrives (and up front from Content-Length), then validated: a zip must list, a dotenv must parse.
 * A second upload of the same type replaces the first (runner retries are safe).
 */
import { readFile, rm } from "node:fs/promises";
import type { ArtifactType } from "@minilab/contracts";
import type { Db } from "@minilab/db";
import { parseDuration } from "@minilab/pipeline";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { authenticateJobToken } from "../jobs/authenticate-job-token.ts";
import { moveIntoStore, spoolUpload, storagePathFor, tooLarge } from "./artifact-storage.ts";
import { parseDotenv } from "./dotenv.ts";
import { listArchive, type ArchiveEntry } from "./zip-read.ts";

export interface UploadJobArtifactOptions {
  db: Db;
  jobId: number;
  jobToken: string;
  type: ArtifactType;
  body: AsyncIterable<Uint8Array> | null;
  /** From the Content-Length header when present: refuses too-large uploads before reading them. */
  contentLength: number | null;
  /** GitLab duration or `never`; null/invalid = the server default (30 days). */
  expireIn: string | null;
  /** `artifacts:name`; the download is `<name>.zip`. */
  name: string | null;
  /** @defaultValue `new Date()` */
  now?: Date;
}

export interface UploadedArtifact {
  id: number;
  size: number;
  sha256: string;
  expireAt: Date | null;
  files: number;
}

export async function uploadJobArtifact(opts: UploadJobArtifactOptions): Promise<UploadedArtifact> {
  const { db, jobId, type } = opts;
  const auth = await authenticateJobToken({ db, token: opts.jobToken });
  if (!auth || auth.job.id !== jobId) throw new AppError("forbidden", "403 Forbidden: invalid job token");
  const max = coreConfig().maxArtifactsBytes;
  if (opts.contentLength !== null && opts.contentLength > max) throw tooLarge(max);
  if (!opts.body) throw new AppError("invalid_input", "The request has no body");

  const spooled = await spoolUpload(opts.body, max);
  let files: ArchiveEntry[] = [];
  let variables: Record<string, string> | null = null;
  try {
    if (type === "archive") {
      files = await listArchive(spooled.file).catch((err: unknown) => {
        throw new AppError("invalid_input", `The upload is not a valid zip archive: ${String(err)}`);
      });
    } else variables = parseDotenv(await readFile(spooled.file, "utf8"));
  } catch (err) {
    await rm(spooled.file, { force: true });
    throw err;
  }

  const storagePath = storagePathFor(auth.job.projectId, jobId, type);
  await moveIntoStore(spooled.file, storagePath);
  const now = opts.now ?? new Date();
  const expireAt = expiry(opts.expireIn, now);
  const data = {
    projectId: auth.job.projectId,
    filename: type === "archive" ? `${safeName(opts.name)}.zip` : ".env",
    size: spooled.size,
    sha256: spooled.sha256,
    storagePath,
    files: files as unknown as object,
    variables: variables ?? undefined,
    expireAt,
    createdAt: now,
  };
  const row = await db.jobArtifact.upsert({
    where: { jobId_fileType: { jobId, fileType: type } },
    create: { jobId, fileType: type, ...data },
    update: data,
  });
  return { id: row.id, size: row.size, sha256: row.sha256, expireAt, files: files.length };
}

function expiry(expireIn: string | null, now: Date): Date | null {
  const text = expireIn?.trim().toLowerCase();
  if (text === "never") return null;
  const seconds = text ? parseDuration(text) : null;
  const s = seconds !== null && seconds > 0 ? seconds : coreConfig().defaultArtifactsExpireSeconds;
  return new Date(now.getTime() + s * 1000);
}

/** A download file name: no path separators or control characters; "artifacts" when empty. */
function safeName(name: string | null): string {
  const cleaned = (name ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[/\\\x00-\x1f"]+/g, "_")
    .trim()
    .slice(0, 200);
  return cleaned || "artifacts";
}
