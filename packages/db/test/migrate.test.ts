import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../src/migrate.ts";
import { dropDatabase, withClient, withDatabase } from "../src/server.ts";

describe("migrate", () => {
  const server = process.env["DATABASE_URL"];
  if (!server) throw new Error("set DATABASE_URL to a Postgres server the tests may create databases on");
  const url = withDatabase(server, `minilab_t_${randomBytes(6).toString("hex")}`);
  afterAll(() => dropDatabase(url));

  it("creates the database and applies every migration once, even when processes race", async () => {
    const names = (await readMigrations()).map((m) => m.name);
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.flatMap((r) => r.applied)).toEqual(names);
    expect((await migrate(url)).applied).toEqual([]);
    const rows = await withClient(url, (c) =>
      c.query<{ checksum: string; applied_steps_count: number }>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`,
      ),
    );
    expect(rows.rows).toHaveLength(names.length);
    expect(rows.rows[0]).toMatchObject({ applied_steps_count: 1 });
    expect(rows.rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses to run when an applied migration was edited", async () => {
    await withClient(url, (c) => c.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`));
    await expect(migrate(url)).rejects.toThrow(/was modified after it was applied/);
  });
});
