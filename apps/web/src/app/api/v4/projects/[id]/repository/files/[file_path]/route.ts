import { createHash } from "node:crypto";
import { AppError, browseTree, listProjectCommits, readFile } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { projectRoute } from "../../../../../../../../server/api-route";
import { commitOf, segmentFromEnd } from "../../../../../../../../server/api-repository";
import { parseParams, readParams } from "../../../../../../../../server/api-params";
import { json } from "../../../../../../../../server/http";
import { fileOrNotFound, splitPath } from "../../../../../../../../server/api-files";

export const dynamic = "force-dynamic";

/** The files API answers with the whole file, base64 in JSON; beyond this, use `/raw`. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const Params = z.object({ ref: z.string().min(1) });

/** GET /api/v4/projects/:id/repository/files/:file_path?ref= — metadata and base64 content. */
export const GET = projectRoute<{ id: string; file_path: string }>(
  async ({ req, user, project }) => {
    const { ref } = parseParams(Params, await readParams(req));
    const filePath = segmentFromEnd(req, 0);
    const db = getDb();
    const sha = await commitOf(user, project, ref);
    const opts = { db, user, project, sha };
    const blob = await fileOrNotFound(() => readFile({ ...opts, path: filePath, maxBytes: MAX_FILE_BYTES }));
    if (blob.truncated) throw new AppError("too_large", "File is too large for the files API; use /raw");
    const { dir, name } = splitPath(filePath);
    const entry = (await browseTree({ ...opts, path: dir })).find((e) => e.name === name);
    const last = await listProjectCommits({ ...opts, path: filePath, page: 1, perPage: 1 });
    return json({
      file_name: name,
      file_path: entry?.path ?? filePath,
      size: blob.size,
      encoding: "base64",
      content_sha256: createHash("sha256").update(blob.content).digest("hex"),
      ref,
      blob_id: entry?.oid ?? null,
      commit_id: sha,
      last_commit_id: last.commits[0]?.sha ?? sha,
      execute_filemode: entry?.mode === "100755",
      content: blob.content.toString("base64"),
    });
  },
  { repository: true },
);
