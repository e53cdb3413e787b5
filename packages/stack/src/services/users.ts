import { readFileSync } from "node:fs";

export const isRoot = (): boolean => process.getuid?.() === 0;

/** uid/gid of a system account from /etc/passwd, or undefined when there is none. */
export function systemUser(name: string): { uid: number; gid: number; home: string } | undefined {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const f = line?.split(":");
  if (!f || f.length < 6) return undefined;
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? "/" };
}
