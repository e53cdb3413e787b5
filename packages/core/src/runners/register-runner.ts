import type { Db, Runner } from "@minilab/db";
import { randomBase62, sha256Hex } from "../auth/secrets.ts";
import { AppError } from "../errors.ts";

export const RUNNER_TOKEN_PREFIX = "glrt-";

export interface RegisterRunnerOptions {
  db: Db;
  /** @defaultValue "" */
  description?: string;
  /** Job tags this runner serves. @defaultValue [] */
  tags?: readonly string[];
  /** Whether it also picks jobs without tags. @defaultValue true */
  runUntagged?: boolean;
}

/** The token is returned once, here; only its SHA-256 is stored. */
export async function registerRunner({
  db,
  description = "",
  tags = [],
  runUntagged = true,
}: RegisterRunnerOptions): Promise<{ runner: Runner; token: string }> {
  const cleanTags = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (cleanTags.some((t) => t.length > 255))
    throw new AppError("invalid_input", "tags must be at most 255 characters", { field: "tags" });
  if (!runUntagged && cleanTags.length === 0) {
    throw new AppError("invalid_input", "a runner without tags must run untagged jobs", {
      field: "runUntagged",
    });
  }
  const token = RUNNER_TOKEN_PREFIX + randomBase62(32);
  const runner = await db.runner.create({
    data: { description: description.trim(), tags: cleanTags, runUntagged, tokenHash: sha256Hex(token) },
  });
  return { runner, token };
}
