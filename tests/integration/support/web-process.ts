/**
 * A web app process of our own for tests that kill and restart the web app (the stack's web app is not
 * ours to stop): `next start` from the build the orchestrator made (apps/web/<MINILAB_NEXT_DIST_DIR>),
 * on a free port, with the stack's database, Redis and data dir, started through next's own bin script
 * like packages/stack/src/web.ts, so the pid we kill is the server itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const WEB_DIR = path.join(ROOT, "apps", "web");

export interface WebProcess {
  url: string;
  port: number;
  /** Starts `next start` on the same port every time and resolves once /-/health answers 200. */
  start(): Promise<void>;
  /** SIGKILL: a crash, no graceful shutdown; resolves once the process is gone and the port is closed. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `env` overrides the stack's settings, e.g. a database of its own (`DATABASE_URL`). */
export async function webProcess(env: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let out = "";
  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => c.once("exit", () => r()));
  const portClosed = async (): Promise<void> => {
    for (let i = 0; i < 50 && (await canConnect(port)); i++) await sleep(100);
  };
  return {
    url,
    port,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null)
        throw new Error("the web process is already running");
      if (await canConnect(port)) throw new Error(`port ${port} is taken`);
      const c = spawn(process.execPath, [NEXT_BIN, "start", WEB_DIR, "-p", String(port), "-H", "127.0.0.1"], {
        cwd: ROOT,
        env: {
          ...process.env,
          // DATABASE_URL, REDIS_URL, MINILAB_DATA_DIR and MINILAB_NEXT_DIST_DIR come from the stack.
          EXTERNAL_URL: url,
          PORT: String(port),
          NEXT_TELEMETRY_DISABLED: "1",
          NODE_ENV: "production",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = c;
      out += `--- next start (pid ${c.pid}) ---\n`;
      c.stdout?.on("data", (d: Buffer) => (out += d.toString()));
      c.stderr?.on("data", (d: Buffer) => (out += d.toString()));
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (c.exitCode !== null || c.signalCode !== null)
          throw new Error(`next start exited (${c.exitCode ?? c.signalCode}):\n${out.slice(-4000)}`);
        const ok = await fetch(`${url}/-/health`, { signal: AbortSignal.timeout(2000) })
          .then((r) => r.status === 200)
          .catch(() => false);
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`web app not healthy after 60 s:\n${out.slice(-4000)}`);
        await sleep(200);
      }
    },
    async crash() {
      if (!child) return;
      child.kill("SIGKILL");
      await exited(child);
      await portClosed();
    },
    async stop() {
      if (!child) return;
      const c = child;
      c.kill("SIGTERM");
      const timer = setTimeout(() => c.kill("SIGKILL"), 10_000);
      await exited(c);
      clearTimeout(timer);
    },
    output: () => out,
  };
}
