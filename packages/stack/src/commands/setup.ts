/**
 * Container entry points (docker-compose.yml): services are separate containers there, so only the
 * database work runs here. `setup` also writes the first admin's password and the runner token into
 * MINILAB_DATA_DIR, a volume the runner container shares.
 */
import { mkdirSync } from "node:fs";
import type { StackConfig } from "../config.ts";
import { log } from "../log.ts";
import { applyMigrations, provision } from "../provision.ts";

export async function setupCommand(cfg: StackConfig, command: "migrate" | "setup"): Promise<number> {
  if (!cfg.databaseUrl) {
    log.fail(`${command} needs DATABASE_URL`);
    return 2;
  }
  await applyMigrations(cfg.databaseUrl);
  if (command === "setup") {
    mkdirSync(cfg.dataDir, { recursive: true });
    const p = await provision({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, createAdmin: true });
    if (p.createdAdmin) log.info(`First login: user "root", password in ${p.createdAdmin.file}`);
  }
  return 0;
}
