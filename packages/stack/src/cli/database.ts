/** Which database the admin CLI talks to: DATABASE_URL, else the one a running `npm start` uses. */
import { canConnect } from "../ports.ts";
import { readState, statePath } from "../state.ts";
import type { StackConfig } from "../config.ts";
import { CliError } from "./errors.ts";

export async function resolveDatabaseUrl(cfg: StackConfig): Promise<string> {
  if (cfg.databaseUrl) return cfg.databaseUrl;
  const state = readState(cfg.dataDir);
  if (!state) {
    throw new CliError(
      `no running minilab found (${statePath(cfg.dataDir)} is missing): run \`npm start\` first, or set DATABASE_URL`,
    );
  }
  const u = new URL(state.databaseUrl);
  if (!(await canConnect(u.hostname, Number(u.port || 5432)))) {
    throw new CliError(
      `the database of the last \`npm start\` (port ${u.port}) is not reachable: run \`npm start\` first, or set DATABASE_URL`,
    );
  }
  return state.databaseUrl;
}
