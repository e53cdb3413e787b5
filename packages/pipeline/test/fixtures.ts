/**
 * Every fixture folder under `cases/` as `{ name, files, expected }`. Vite's glob (not node:fs): the
 * engine's lint boundary forbids I/O modules in this package outside bin/.
 */
import type { Expected } from "./run-case.ts";

const all = {
  ...import.meta.glob<string>("./cases/*/.gitlab-ci.yml", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob<string>("./cases/*/**/*", { query: "?raw", import: "default", eager: true }),
};

export interface Fixture {
  name: string;
  /** Repository files, root-relative, including `.gitlab-ci.yml`. */
  files: Record<string, string>;
  expected: Expected;
}

export function loadFixtures(): Fixture[] {
  const byCase = new Map<string, Fixture>();
  for (const [path, text] of Object.entries(all)) {
    const m = /^\.\/cases\/([^/]+)\/(.+)$/.exec(path);
    if (!m?.[1] || !m[2]) continue;
    const fixture = byCase.get(m[1]) ?? { name: m[1], files: {}, expected: { problems: [] } };
    if (m[2] === "expected.json") fixture.expected = JSON.parse(text) as Expected;
    else fixture.files[m[2]] = text;
    byCase.set(m[1], fixture);
  }
  return [...byCase.values()].sort((a, b) => a.name.localeCompare(b.name));
}
