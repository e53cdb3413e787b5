/**
 * `parallel: N` (2…200) and `parallel:matrix` (≤ 200 jobs). Instance names follow GitLab:
 * `job 1/3`, and `job: [a, b]` with matrix values in the order the variables are written.
 */
import { isObj, isScalar } from "./json.ts";
import type { Problems } from "./problems.ts";

/** GitLab's limit on jobs one `parallel:` may create. */
export const MAX_PARALLEL = 200;

export type Parallel = { total: number } | { matrix: Record<string, string>[] } | null;

export function readParallel(
  value: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
): Parallel {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 2 && value <= MAX_PARALLEL) return { total: value };
    const bound = value < 2 ? "greater than or equal to 2" : `less than or equal to ${MAX_PARALLEL}`;
    problems.add(where, `${where} config must be ${bound}`, at);
    return null;
  }
  const matrix = isObj(value) ? value["matrix"] : undefined;
  if (!Array.isArray(matrix) || matrix.length === 0 || !matrix.every(isObj)) {
    problems.add(where, `${where} should be an integer or a hash`, at);
    return null;
  }
  const out: Record<string, string>[] = [];
  for (const entry of matrix) {
    let combos: Record<string, string>[] = [{}];
    for (const [key, raw] of Object.entries(entry)) {
      const values = Array.isArray(raw) ? raw : [raw];
      if (!values.every(isScalar)) {
        problems.add(
          `${where}:matrix`,
          `${where}:matrix config should be a hash of scalars or arrays of scalars`,
          at,
        );
        return null;
      }
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
      if (combos.length > MAX_PARALLEL) break;
    }
    out.push(...combos);
    if (out.length > MAX_PARALLEL) {
      problems.add(
        `${where}:matrix`,
        `${where}:matrix config generates too many jobs (maximum is ${MAX_PARALLEL})`,
        at,
      );
      return null;
    }
  }
  return { matrix: out };
}

/** Instance names, in GitLab's order. */
export function instanceNames(name: string, p: Exclude<Parallel, null>): string[] {
  if ("total" in p) return Array.from({ length: p.total }, (_, i) => `${name} ${i + 1}/${p.total}`);
  return p.matrix.map((vars) => `${name}: [${Object.values(vars).join(", ")}]`);
}
