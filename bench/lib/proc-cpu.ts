/**
 * CPU time of the processes behind a bench (Linux `/proc`): every descendant of a root pid — the
 * stack CLI that started Postgres, Redis, the web app and ran the bench — grouped by what they are,
 * so a bench can say where the CPU of a measured window went (web, runner, Postgres, Redis, itself).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of `/proc/<pid>/stat` utime/stime (USER_HZ: 100 on every Linux build). */
const HZ = 100;

interface Proc {
  pid: number;
  ppid: number;
  ticks: number;
  group: string;
}

function read(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command (which may contain spaces).
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(rest[1]);
    const ticks = Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    return { pid, ppid, ticks, group: groupOf(cmd, pid) };
  } catch {
    return undefined; // exited meanwhile
  }
}

function groupOf(cmd: string, pid: number): string {
  if (pid === process.pid) return "bench";
  if (/postgres/.test(cmd)) return "postgres";
  if (/redis-server/.test(cmd)) return "redis";
  if (/apps\/runner|runner-bundle|runner\.mjs/.test(cmd)) return "runner";
  if (/next/.test(cmd)) return "web";
  return "other";
}

/** Summed CPU ms per group over the descendants of `root` (children's reaped time included). */
export function cpuByGroup(root: number): Map<string, number> {
  const all = new Map<number, Proc>();
  for (const e of readdirSync("/proc")) {
    const pid = Number(e);
    if (!Number.isInteger(pid)) continue;
    const p = read(pid);
    if (p) all.set(pid, p);
  }
  const out = new Map<string, number>();
  const under = (p: Proc): boolean => {
    for (let q: Proc | undefined = p, n = 0; q && n < 64; q = all.get(q.ppid), n++)
      if (q.pid === root) return true;
    return false;
  };
  for (const p of all.values())
    if (under(p)) out.set(p.group, (out.get(p.group) ?? 0) + (p.ticks * 1000) / HZ);
  return out;
}

/** `after − before` per group, largest first, as `group N ms` items. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  return [...after]
    .map(([g, ms]): [string, number] => [g, ms - (before.get(g) ?? 0)])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** CPU ms the whole machine spent busy (all cores, `/proc/stat` minus idle and iowait) since boot. */
export function machineBusyMs(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((total - (f[3] ?? 0) - (f[4] ?? 0)) * 1000) / HZ;
}
