import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { log, since } from "../log.ts";
import { launch, type ManagedProcess } from "../proc.ts";
import { waitFor } from "../ports.ts";

export interface RedisOptions {
  dataDir: string;
  port: number;
  /** Persist with an append-only file (start) or keep nothing on disk (tests). */
  persistent: boolean;
}

/** Sends PING and expects +PONG (or an auth error, which still proves a Redis answers). */
export function pingRedis(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once("connect", () => sock.write("PING\r\n"));
    sock.once("data", (d) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
    sock.once("error", () => done(false));
  });
}

export async function startRedis(o: RedisOptions): Promise<{ proc: ManagedProcess; url: string }> {
  const t0 = Date.now();
  const dir = path.join(o.dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const args = ["--port", String(o.port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "no"];
  args.push(...(o.persistent ? ["--appendonly", "yes"] : ["--save", "", "--appendonly", "no"]));
  const proc = launch({
    name: "redis",
    command: "redis-server",
    args,
    logFile: path.join(o.dataDir, "logs", "redis.log"),
  });
  await waitFor("Redis", () => pingRedis("127.0.0.1", o.port), { alive: () => proc.exited() });
  log.ok(`Redis ready on 127.0.0.1:${o.port} (${since(t0)})`);
  return { proc, url: `redis://127.0.0.1:${o.port}` };
}
