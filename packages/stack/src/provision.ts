/**
 * What a fresh install needs inside the database: the schema, a first admin, and a registered
 * runner for the local runner process. Idempotent: a second start changes nothing.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createUser, registerRunner } from "@minilab/core";
import { createDb } from "@minilab/db";
import { migrate } from "@minilab/db/migrate";
import { log, since } from "./log.ts";

export async function applyMigrations(databaseUrl: string): Promise<void> {
  const t0 = Date.now();
  const { applied } = await migrate(databaseUrl, (msg) => log.info(msg));
  log.ok(
    `Database schema up to date${applied.length ? ` (${applied.length} migration(s) applied)` : ""} (${since(t0)})`,
  );
}

export interface Provisioned {
  runnerToken: string;
  /** Set when this run created the first admin. */
  createdAdmin?: { username: string; password: string; file: string };
}

/**
 * Creates `root` when the instance has no user yet (`createAdmin`), and reuses the runner token in
 * `<dataDir>/runner.token` while the runner it belongs to still exists.
 */
export async function provision(o: {
  databaseUrl: string;
  dataDir: string;
  createAdmin: boolean;
}): Promise<Provisioned> {
  const db = createDb(o.databaseUrl);
  try {
    const out: Provisioned = { runnerToken: "" };
    if (o.createAdmin && (await db.user.count()) === 0) {
      const password = randomBytes(12).toString("base64url");
      await createUser({
        db,
        username: "root",
        email: "root@minilab.local",
        name: "Administrator",
        password,
        isAdmin: true,
      });
      const file = path.join(o.dataDir, "initial_root_password");
      writeFileSync(file, `${password}\n`, { mode: 0o600 });
      out.createdAdmin = { username: "root", password, file };
    }
    const tokenFile = path.join(o.dataDir, "runner.token");
    const saved = existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : "";
    // Runner rows store the SHA-256 of the token (schema.prisma, Runner.tokenHash).
    const known =
      saved &&
      (await db.runner.findUnique({
        where: { tokenHash: createHash("sha256").update(saved).digest("hex") },
      }));
    if (known) {
      out.runnerToken = saved;
    } else {
      const { token } = await registerRunner({
        db,
        description: "local runner (npm start)",
        runUntagged: true,
      });
      writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
      out.runnerToken = token;
      log.ok("Registered the local runner");
    }
    return out;
  } finally {
    await db.$disconnect();
  }
}
