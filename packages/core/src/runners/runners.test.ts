import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { authenticateRunner, registerRunner } from "./index.ts";

describe("runners", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.drop());

  it("registers a runner whose token authenticates it and is stored only as a hash", async () => {
    const { runner, token } = await registerRunner({
      db: t.db,
      description: " docker ",
      tags: ["docker", "docker", " linux "],
    });
    expect(token).toMatch(/^glrt-[0-9A-Za-z]{20,}$/);
    expect(runner).toMatchObject({
      description: "docker",
      tags: ["docker", "linux"],
      runUntagged: true,
      active: true,
      contactedAt: null,
    });
    expect(runner.tokenHash).not.toContain(token);

    const authed = await authenticateRunner({ db: t.db, token });
    expect(authed.id).toBe(runner.id);
    const stored = await t.db.runner.findUniqueOrThrow({ where: { id: runner.id } });
    expect(stored.contactedAt).toBeInstanceOf(Date);

    // Within the granularity window contactedAt is not rewritten.
    await authenticateRunner({ db: t.db, token });
    const again = await t.db.runner.findUniqueOrThrow({ where: { id: runner.id } });
    expect(again.contactedAt).toEqual(stored.contactedAt);
  });

  it("rejects unknown tokens and paused runners", async () => {
    await expect(authenticateRunner({ db: t.db, token: "glrt-nope" })).rejects.toMatchObject({
      code: "unauthorized",
    });
    const { runner, token } = await registerRunner({ db: t.db, description: "paused" });
    await t.db.runner.update({ where: { id: runner.id }, data: { active: false } });
    await expect(authenticateRunner({ db: t.db, token })).rejects.toBeInstanceOf(AppError);
  });

  it("refuses a runner that could never pick any job", async () => {
    await expect(registerRunner({ db: t.db, runUntagged: false })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});
