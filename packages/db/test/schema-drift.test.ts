import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";
import { withClient } from "../src/server.ts";
import { actualShape, diffShapes, expectedShape, type DbShape } from "./schema-model.ts";

const schemaPath = new URL("../../../prisma/schema.prisma", import.meta.url);

describe("schema.prisma vs. migrated database", () => {
  let t: TestDatabase;
  let schema: string;
  let actual: DbShape;

  beforeAll(async () => {
    schema = await readFile(schemaPath, "utf8");
    t = await createTestDatabase();
    actual = await withClient(t.url, actualShape);
  });
  afterAll(() => t?.drop());

  it("agree on every table, column, enum and index", () => {
    const expected = expectedShape(schema);
    expect(Object.keys(expected.tables).length).toBeGreaterThanOrEqual(8);
    expect(diffShapes(expected, actual)).toEqual([]);
  });

  it("reports a field that has no column", () => {
    const mutated = schema.replace(
      /(\n\s*passwordHash\s+String[^\n]*\n)/,
      `$1  nickname String? @map("nick_name")\n`,
    );
    expect(diffShapes(expectedShape(mutated), actual)).toEqual([
      "users.nick_name: column missing in database",
    ]);
  });

  it("reports changed optionality, types, enum values, uniques and indexes", () => {
    const mutated = schema
      .replace(/name\s+String\n(\s+passwordHash)/, "name String?\n$1")
      .replace(/logSize\s+Int/, "logSize String")
      .replace(/(enum Visibility \{[^}]*public)/, "$1\n  secret")
      .replace(/email\s+String\s+@unique/, "email String")
      .replace(/@@index\(\[status\]\)/, "");
    expect(diffShapes(expectedShape(mutated), actual).sort()).toEqual(
      [
        "enum Visibility: values [private,internal,public,secret] in schema, [private,internal,public] in database",
        "jobs.log_size: type text in schema, integer in database",
        "jobs: index jobs_status_idx is absent in schema, index:status in database",
        "users.name: nullable true in schema, false in database",
        "users: index users_email_key is absent in schema, unique:email in database",
      ].sort(),
    );
  });
});
