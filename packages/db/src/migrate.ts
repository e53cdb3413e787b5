/**
 * Applies prisma/migrations (Prisma's folder format) with Prisma's own `_prisma_migrations`
 * bookkeeping, so `prisma migrate deploy` agrees with what ran here wherever its engine exists.
 *
 * Concurrency: every process that starts calls this; a session-level advisory lock (the key Prisma
 * uses) serialises them, and each migration runs in its own transaction together with its record,
 * so a crash leaves either nothing or a fully applied, recorded migration.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ensureDatabase, redact, withClient } from "./server.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));

/** Prisma migrate's advisory lock key. */
const LOCK_KEY = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function migrate(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
): Promise<{ applied: string[] }> {
  if (await ensureDatabase(databaseUrl)) log(`created database ${redact(databaseUrl)}`);
  const local = await readMigrations();
  return withClient(databaseUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
      }>(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
      );
      const done = new Map(rows.map((r) => [r.migration_name, r]));
      const applied: string[] = [];
      for (const m of local) {
        const row = done.get(m.name);
        if (row) {
          if (!row.finished_at) {
            throw new Error(
              `migration ${m.name} was started but never finished; resolve it by hand before migrating`,
            );
          }
          if (row.checksum !== m.checksum) {
            throw new Error(
              `migration ${m.name} was modified after it was applied (checksum ${row.checksum} in the database, ` +
                `${m.checksum} on disk); add a new migration instead of editing an applied one`,
            );
          }
          continue;
        }
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.name} failed: ${e instanceof Error ? e.message : String(e)}`, {
            cause: e,
          });
        }
        log(`applied migration ${m.name}`);
        applied.push(m.name);
      }
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  });
}
