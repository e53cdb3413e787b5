/**
 * Throwaway databases for integration tests: one fresh, migrated database per caller on the server
 * DATABASE_URL points at, so test files run in parallel without sharing state.
 */
import { randomBytes } from "node:crypto";
import { createDb, type Db } from "./client.ts";
import { migrate } from "./migrate.ts";
import { dropDatabase, withDatabase } from "./server.ts";

export interface TestDatabase {
  url: string;
  db: Db;
  /** Disconnects the client and drops the database, even with connections still open. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env["DATABASE_URL"];
  if (!server)
    throw new Error(
      "createTestDatabase: set DATABASE_URL to a Postgres server the tests may create databases on",
    );
  const url = withDatabase(server, `minilab_t_${randomBytes(6).toString("hex")}`);
  await migrate(url);
  const db = createDb(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await dropDatabase(url);
    },
  };
}
