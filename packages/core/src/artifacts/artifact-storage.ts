/**
 * Where artifact bytes live: `<artifactsDir>/<project>/<job>/<file>`. Uploads stream into a temp file
 * in the same directory tree (so the final rename is atomic) while counting and hashing; the database
 * row is written only after the file is in place, and removed files are tolerated (expiry races).
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ArtifactType } from "@minilab/contracts";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";

export const storageName = (type: ArtifactType): string =>
  type === "archive" ? "artifacts.zip" : "dotenv.env";

export function storagePathFor(projectId: number, jobId: number, type: ArtifactType): string {
  return path.join(String(projectId), String(jobId), storageName(type));
}

/** Absolute path of a stored artifact; refuses anything that would leave the artifacts directory. */
export function absoluteArtifactPath(storagePath: string): string {
  const root = coreConfig().artifactsDir;
  const abs = path.resolve(root, storagePath);
  if (!abs.startsWith(root + path.sep)) throw new Error(`artifact path escapes the store: ${storagePath}`);
  return abs;
}

export interface SpooledUpload {
  file: string;
  size: number;
  sha256: string;
}

/** Streams `body` to a temp file, failing with 413 once it passes `maxBytes` (the file is removed). */
export async function spoolUpload(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<SpooledUpload> {
  const dir = path.join(coreConfig().artifactsDir, "tmp");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `upload-${randomBytes(8).toString("hex")}`);
  const hash = createHash("sha256");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.byteLength;
      if (size > maxBytes) return done(tooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    // pipeline() tears every stream down on the first error, so an aborted upload leaves no open fd.
    await pipeline(Readable.from(body), meter, createWriteStream(file));
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return { file, size, sha256: hash.digest("hex") };
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError(
    "too_large",
    `413 Request Entity Too Large: artifacts are limited to ${maxBytes} bytes (MINILAB_MAX_ARTIFACTS_SIZE)`,
    { limit: maxBytes },
  );
}

export async function moveIntoStore(tmp: string, storagePath: string): Promise<void> {
  const dest = absoluteArtifactPath(storagePath);
  await mkdir(path.dirname(dest), { recursive: true });
  await rename(tmp, dest);
}

/** Removes a stored file and its (then possibly empty) job directory; missing files are fine. */
export async function removeStored(storagePath: string): Promise<void> {
  const abs = absoluteArtifactPath(storagePath);
  await rm(abs, { force: true });
  await rmdir(path.dirname(abs)).catch(() => undefined); // only when empty
}
