/**
 * Backing services: Postgres, Redis and a Docker engine. Each is started as a child unless the
 * environment names one (DATABASE_URL / REDIS_URL / DOCKER_HOST), which must then be reachable.
 * The three start concurrently; if one fails, the others are stopped again.
 */
import { log } from "./log.ts";
import { canConnect, freePort, portOr } from "./ports.ts";
import type { ManagedProcess } from "./proc.ts";
import { pingDocker, startDockerd, SYSTEM_DOCKER } from "./services/docker.ts";
import { startPostgres } from "./services/postgres.ts";
import { startRedis } from "./services/redis.ts";

export type Mode = "start" | "test";

export interface ServiceOptions {
  mode: Mode;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dockerHost: string | undefined;
}

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  dockerHost: string;
  /** Children we started, in start order (stop in reverse). */
  procs: ManagedProcess[];
}

const hostPort = (url: string, defaultPort: number): [string, number] => {
  const u = new URL(url);
  return [u.hostname, Number(u.port || defaultPort)];
};

async function external(name: string, url: string, reachable: () => Promise<boolean>): Promise<string> {
  if (!(await reachable()))
    throw new Error(`${name} is set but nothing answers there: ${url.replace(/\/\/[^@/]*@/, "//***@")}`);
  log.ok(`Using ${name} from the environment`);
  return url;
}

export async function startServices(o: ServiceOptions): Promise<Services> {
  const procs: ManagedProcess[] = [];
  const test = o.mode === "test";
  const pg = o.databaseUrl
    ? external("DATABASE_URL", o.databaseUrl, () => canConnect(...hostPort(o.databaseUrl!, 5432)))
    : (test ? freePort() : portOr(5439))
        .then((port) => startPostgres({ dataDir: o.dataDir, port, ephemeral: test }))
        .then((r) => (procs.push(r.proc), r.url));
  const redis = o.redisUrl
    ? external("REDIS_URL", o.redisUrl, () => canConnect(...hostPort(o.redisUrl!, 6379)))
    : (test ? freePort() : portOr(6389))
        .then((port) => startRedis({ dataDir: o.dataDir, port, persistent: !test }))
        .then((r) => (procs.push(r.proc), r.url));
  const docker = o.dockerHost
    ? external("DOCKER_HOST", o.dockerHost, () => pingDocker(o.dockerHost!))
    : pingDocker(SYSTEM_DOCKER).then(async (up) => {
        if (up) {
          log.ok(`Using the system Docker engine at ${SYSTEM_DOCKER}`);
          return SYSTEM_DOCKER;
        }
        const r = await startDockerd({ dataDir: o.dataDir });
        procs.push(r.proc);
        return r.host;
      });
  const results = await Promise.allSettled([pg, redis, docker]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await stopProcesses(procs);
    throw failed.reason;
  }
  const [databaseUrl, redisUrl, dockerHost] = results.map(
    (r) => (r as PromiseFulfilledResult<string>).value,
  ) as [string, string, string];
  return { databaseUrl, redisUrl, dockerHost, procs };
}

/** Stops children in reverse start order; Postgres gets SIGINT (fast shutdown). */
export async function stopProcesses(procs: ManagedProcess[]): Promise<void> {
  for (const p of [...procs].reverse()) {
    if (p.exited()) continue;
    log.info(`stopping ${p.name}…`);
    await p.stop(p.name === "postgres" ? "SIGINT" : "SIGTERM");
  }
}
