import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import {
  authenticateAccessToken,
  authenticateBasic,
  authenticatePassword,
  createPersonalAccessToken,
  createSession,
  createUser,
  deleteSession,
  listPersonalAccessTokens,
  resolveSession,
  revokePersonalAccessToken,
} from "./index.ts";

const code = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`),
  );

describe("auth", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.drop());

  const newUser = (username: string, extra: Partial<Parameters<typeof createUser>[0]> = {}) =>
    createUser({ db: t.db, username, email: `${username}@example.com`, password: "correct horse", ...extra });

  describe("createUser", () => {
    it("stores an argon2 hash, never the password, and defaults the display name", async () => {
      const user = await newUser("alice");
      expect(user).toMatchObject({ username: "alice", name: "alice", isAdmin: false });
      expect(user.passwordHash).toMatch(/^\$argon2id\$/);
      expect(user.passwordHash).not.toContain("correct horse");
    });

    it("rejects usernames and emails taken in any letter case", async () => {
      await newUser("bob");
      expect(await code(newUser("BOB", { email: "other@example.com" }))).toBe("conflict");
      expect(await code(newUser("robert", { email: "Bob@Example.com" }))).toBe("conflict");
    });

    it.each([
      ["a", "too short"],
      ["-dash", "leading dash"],
      [".dot", "leading dot"],
      ["has space", "space"],
      ["repo.git", ".git suffix"],
      ["feed.atom", ".atom suffix"],
      ["api", "reserved"],
      ["Admin", "reserved, any case"],
      ["x".repeat(256), "too long"],
    ])("rejects username %j (%s)", async (username) => {
      expect(await code(newUser(username, { email: "ok@example.com" }))).toBe("invalid_input");
    });

    it("rejects a malformed email and a short password", async () => {
      expect(await code(newUser("carol", { email: "not-an-email" }))).toBe("invalid_input");
      expect(await code(newUser("carol", { password: "short" }))).toBe("invalid_input");
    });
  });

  describe("authenticatePassword", () => {
    it("accepts username or email, in any case, with the right password only", async () => {
      const user = await newUser("dave");
      expect((await authenticatePassword({ db: t.db, login: "dave", password: "correct horse" })).id).toBe(
        user.id,
      );
      expect(
        (await authenticatePassword({ db: t.db, login: "DAVE@example.com", password: "correct horse" })).id,
      ).toBe(user.id);
      expect(await code(authenticatePassword({ db: t.db, login: "dave", password: "wrong horse" }))).toBe(
        "unauthorized",
      );
      expect(await code(authenticatePassword({ db: t.db, login: "nobody", password: "correct horse" }))).toBe(
        "unauthorized",
      );
    });
  });

  describe("sessions", () => {
    it("round-trips a cookie, stores only its hash, and stops working after sign-out", async () => {
      const user = await newUser("erin");
      const { token, expiresAt } = await createSession({ db: t.db, userId: user.id });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
      expect(await t.db.session.findUnique({ where: { id: token } })).toBeNull();
      expect((await resolveSession({ db: t.db, token }))?.id).toBe(user.id);
      await deleteSession({ db: t.db, token });
      expect(await resolveSession({ db: t.db, token })).toBeNull();
    });

    it("treats an expired session as signed out", async () => {
      const user = await newUser("frank");
      const { token } = await createSession({ db: t.db, userId: user.id });
      await t.db.session.updateMany({
        where: { userId: user.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect(await resolveSession({ db: t.db, token })).toBeNull();
      expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);
    });
  });

  describe("personal access tokens", () => {
    it("authenticates with its scopes, records use, and stops after revocation", async () => {
      const user = await newUser("grace");
      const { token, record } = await createPersonalAccessToken({
        db: t.db,
        userId: user.id,
        name: "ci",
        scopes: ["read_api", "read_repository"],
      });
      expect(token).toMatch(/^glpat-[0-9A-Za-z]{20,}$/);
      expect(record).not.toHaveProperty("tokenHash");
      const auth = await authenticateAccessToken({ db: t.db, token });
      expect(auth?.user.id).toBe(user.id);
      expect(auth?.scopes).toEqual(["read_api", "read_repository"]);
      const [listed] = await listPersonalAccessTokens({ db: t.db, userId: user.id });
      expect(listed?.lastUsedAt).toBeInstanceOf(Date);
      expect(listed).not.toHaveProperty("tokenHash");

      const other = await newUser("heidi");
      expect(await code(revokePersonalAccessToken({ db: t.db, userId: other.id, id: record.id }))).toBe(
        "not_found",
      );
      expect(await authenticateAccessToken({ db: t.db, token })).not.toBeNull();
      await revokePersonalAccessToken({ db: t.db, userId: user.id, id: record.id });
      await revokePersonalAccessToken({ db: t.db, userId: user.id, id: record.id });
      expect(await authenticateAccessToken({ db: t.db, token })).toBeNull();
    });

    it("refuses expired tokens and bad input", async () => {
      const user = await newUser("ivan");
      const { token, record } = await createPersonalAccessToken({
        db: t.db,
        userId: user.id,
        name: "short-lived",
        scopes: ["api"],
        expiresAt: new Date(Date.now() + 60_000),
      });
      expect(await authenticateAccessToken({ db: t.db, token })).not.toBeNull();
      await t.db.personalAccessToken.update({
        where: { id: record.id },
        data: { expiresAt: new Date(Date.now() - 1) },
      });
      expect(await authenticateAccessToken({ db: t.db, token })).toBeNull();
      expect(await authenticateAccessToken({ db: t.db, token: "glpat-unknown" })).toBeNull();
      expect(
        await code(createPersonalAccessToken({ db: t.db, userId: user.id, name: "x", scopes: ["sudo"] })),
      ).toBe("invalid_input");
      expect(
        await code(createPersonalAccessToken({ db: t.db, userId: user.id, name: "x", scopes: [] })),
      ).toBe("invalid_input");
      expect(
        await code(createPersonalAccessToken({ db: t.db, userId: user.id, name: " ", scopes: ["api"] })),
      ).toBe("invalid_input");
      expect(
        await code(
          createPersonalAccessToken({
            db: t.db,
            userId: user.id,
            name: "x",
            scopes: ["api"],
            expiresAt: new Date(Date.now() - 1),
          }),
        ),
      ).toBe("invalid_input");
    });
  });

  describe("authenticateBasic", () => {
    it("accepts the account password (all scopes) or the user's own PAT (its scopes)", async () => {
      const user = await newUser("judy");
      const other = await newUser("mallory");
      const { token } = await createPersonalAccessToken({
        db: t.db,
        userId: user.id,
        name: "git",
        scopes: ["read_repository"],
      });
      const { token: othersToken } = await createPersonalAccessToken({
        db: t.db,
        userId: other.id,
        name: "git",
        scopes: ["api"],
      });

      const byPassword = await authenticateBasic({ db: t.db, username: "judy", password: "correct horse" });
      expect(byPassword?.user.id).toBe(user.id);
      expect(byPassword?.scopes).toContain("write_repository");

      const byToken = await authenticateBasic({ db: t.db, username: "judy", password: token });
      expect(byToken).toMatchObject({ user: { id: user.id }, scopes: ["read_repository"] });

      expect(await authenticateBasic({ db: t.db, username: "judy", password: othersToken })).toBeNull();
      expect(await authenticateBasic({ db: t.db, username: "judy", password: "wrong horse" })).toBeNull();
      expect(await authenticateBasic({ db: t.db, username: "nobody", password: token })).toBeNull();
    });
  });
});
