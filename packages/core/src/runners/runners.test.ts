import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { authenticateRunner, registerRunner, updateRunner } from "./index.ts";

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

  it("lets admins, and only admins, set a runner's maximum job timeout (at least 10 minutes, as GitLab)", async () => {
    const { runner } = await registerRunner({ db: t.db, description: "capped", tags: ["a"] });
    const admin = { isAdmin: true };
    await expect(
      updateRunner({ db: t.db, actor: { isAdmin: false }, id: runner.id, maximumTimeout: 900 }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      updateRunner({ db: t.db, actor: admin, id: runner.id, maximumTimeout: 599 }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: "maximum_timeout needs to be at least 10 minutes",
    });
    await expect(
      updateRunner({ db: t.db, actor: admin, id: 999_999, maximumTimeout: 900 }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await t.db.runner.findUniqueOrThrow({ where: { id: runner.id } })).maximumTimeout).toBeNull();

    const updated = await updateRunner({ db: t.db, actor: admin, id: runner.id, maximumTimeout: 900 });
    expect(updated).toMatchObject({ maximumTimeout: 900, tags: ["a"], description: "capped" });
    const cleared = await updateRunner({
      db: t.db,
      actor: admin,
      id: runner.id,
      maximumTimeout: null,
      tags: ["b", " b ", "c"],
      paused: true,
    });
    expect(cleared).toMatchObject({ maximumTimeout: null, tags: ["b", "c"], active: false });
  });

  it("refuses a runner that could never pick any job", async () => {
    await expect(registerRunner({ db: t.db, runUntagged: false })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});
