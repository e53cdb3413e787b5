/** GitLab's project access levels. 0 (no access) is never stored. */
export const ACCESS_LEVELS = {
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export type AccessLevelName = keyof typeof ACCESS_LEVELS;
export type AccessLevel = (typeof ACCESS_LEVELS)[AccessLevelName];

/** No access; also "no one" as a protected branch's push level. */
export const NO_ACCESS = 0;

export const isAccessLevel = (n: unknown): n is AccessLevel =>
  typeof n === "number" && (Object.values(ACCESS_LEVELS) as number[]).includes(n);

export function accessLevelName(level: number): string {
  const entry = Object.entries(ACCESS_LEVELS).find(([, v]) => v === level);
  return entry
    ? entry[0][0]!.toUpperCase() + entry[0].slice(1)
    : level === NO_ACCESS
      ? "No one"
      : String(level);
}
