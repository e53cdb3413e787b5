/**
 * A Postgres cluster owned by minilab: initdb on first start, reused afterwards.
 *
 * As root, initdb and postgres run as the `postgres` system account (initdb refuses root), so the
 * data directory must be reachable by that account. A clone under /root is not (0700), in which case
 * the cluster lives under /var/lib/minilab/<hash of the data dir> instead.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import os from "node:os";
import { childEnv } from "../config.ts";
import { log, since } from "../log.ts";
import { launch, run, runChecked, type ManagedProcess } from "../proc.ts";
import { waitFor } from "../ports.ts";
import { isRoot, systemUser } from "./users.ts";

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed (throwaway test clusters). */
  ephemeral: boolean;
}

export interface RunningPostgres {
  proc: ManagedProcess;
  /** Server URL with the `minilab` database. */
  url: string;
  pgData: string;
}

/** The newest /usr/lib/postgresql/<v>/bin that has a `postgres` binary. */
export function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new Error(
      `no Postgres server found under ${base}: install the "postgresql" package or set DATABASE_URL`,
    );
  return path.join(base, versions[0], "bin");
}

interface Account {
  uid?: number;
  gid?: number;
}

async function accountCanUse(dir: string, acct: Account): Promise<boolean> {
  if (acct.uid === undefined) return true;
  const r = await run("test", ["-w", dir, "-a", "-x", dir], { uid: acct.uid, gid: acct.gid! });
  return r.code === 0;
}

function prepareDir(dir: string, acct: Account): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (acct.uid !== undefined) chownSync(dir, acct.uid, acct.gid!);
}

/** Where the cluster lives: `<dataDir>/postgres`, or a fallback the `postgres` account can reach. */
async function choosePgData(dataDir: string, acct: Account): Promise<string> {
  const preferred = path.join(dataDir, "postgres");
  prepareDir(preferred, acct);
  if (await accountCanUse(preferred, acct)) return preferred;
  const hash = createHash("sha256").update(dataDir).digest("hex").slice(0, 12);
  const fallback = path.join("/var/lib/minilab", hash, "postgres");
  log.info(`the postgres account cannot reach ${preferred}; keeping the cluster in ${fallback}`);
  mkdirSync(path.dirname(fallback), { recursive: true, mode: 0o755 });
  prepareDir(fallback, acct);
  return fallback;
}

export async function startPostgres(o: PostgresOptions): Promise<RunningPostgres> {
  const t0 = Date.now();
  const bin = postgresBinDir();
  const pgUser = isRoot() ? systemUser("postgres") : undefined;
  if (isRoot() && !pgUser)
    throw new Error('running as root needs the "postgres" system account (package "postgresql")');
  const acct: Account = pgUser ? { uid: pgUser.uid, gid: pgUser.gid } : {};
  const pgData = await choosePgData(o.dataDir, acct);
  const pwFile = path.join(o.dataDir, "postgres.password");
  const env = childEnv(pgUser ? { LANG: "C.UTF-8", HOME: pgUser.home } : { LANG: "C.UTF-8" });

  if (!existsSync(path.join(pgData, "PG_VERSION"))) {
    log.step("Initialising the Postgres cluster…");
    const password = randomBytes(18).toString("hex");
    // initdb reads the superuser password from a file the postgres account can open.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "minilab-initdb-"));
    const tmpPw = path.join(tmp, "pw");
    writeFileSync(tmpPw, `${password}\n`, { mode: 0o600 });
    if (acct.uid !== undefined) {
      chownSync(tmp, acct.uid, acct.gid!);
      chownSync(tmpPw, acct.uid, acct.gid!);
    }
    try {
      await runChecked(
        path.join(bin, "initdb"),
        [
          "-D",
          pgData,
          "-U",
          "postgres",
          "-E",
          "UTF8",
          "--no-locale",
          "--auth-local=peer",
          "--auth-host=scram-sha-256",
          `--pwfile=${tmpPw}`,
        ],
        { env, ...acct },
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  }
  if (!existsSync(pwFile))
    throw new Error(
      `${pwFile} is missing: cannot log in to the cluster in ${pgData}; delete that directory to start over`,
    );
  const password = readFileSync(pwFile, "utf8").trim();

  // Unix socket paths are limited to ~100 bytes; use the data dir when short enough, else /tmp.
  const sockDir = pgData.length < 80 ? pgData : path.join("/tmp", `minilab-pg-${o.port}`);
  prepareDir(sockDir, acct);
  const args = ["-D", pgData, "-p", String(o.port), "-k", sockDir, "-c", "listen_addresses=127.0.0.1"];
  if (o.ephemeral) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  args.push("-c", "max_connections=300");
  const proc = launch({
    name: "postgres",
    command: path.join(bin, "postgres"),
    args,
    env,
    ...acct,
    logFile: path.join(o.dataDir, "logs", "postgres.log"),
  });
  await waitFor(
    "Postgres",
    async () =>
      (await run(path.join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(o.port)])).code === 0,
    { alive: () => proc.exited(), timeoutMs: 60_000 },
  );
  log.ok(`Postgres ready on 127.0.0.1:${o.port} (${since(t0)})`);
  return { proc, pgData, url: `postgresql://postgres:${password}@127.0.0.1:${o.port}/minilab` };
}
