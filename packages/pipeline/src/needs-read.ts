/** Reads `needs:`: names, `{ job, optional, artifacts }`, `{ job, parallel: { matrix } }`, `needs: []`. */
import { isObj } from "./json.ts";
import type { Problems } from "./problems.ts";
import type { Need } from "./types.ts";

export type { Need } from "./types.ts";

/** GitLab's limit on `needs:` entries per job. */
export const MAX_NEEDS = 50;

const NEED_KEYS = ["job", "optional", "artifacts", "parallel", "project", "pipeline", "ref"];

export function readNeeds(
  value: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
): Need[] | null {
  const list = typeof value === "string" || isObj(value) ? [value] : value;
  if (!Array.isArray(list)) {
    problems.add(where, `${where} config should be an array of strings or hashes`, at);
    return null;
  }
  const out: Need[] = [];
  for (const [i, raw] of list.flat(3).entries()) {
    const loc = [...at, i];
    if (typeof raw === "string") {
      out.push({ job: raw, optional: false, artifacts: true, matrix: null });
      continue;
    }
    if (!isObj(raw) || typeof raw["job"] !== "string") {
      if (isObj(raw) && (raw["pipeline"] !== undefined || raw["project"] !== undefined))
        problems.add(where, `${where} cross-project and parent-pipeline needs are not supported yet`, loc);
      else problems.add(where, `${where} config should be an array of strings or hashes with a job`, loc);
      continue;
    }
    const unknown = Object.keys(raw).filter((k) => !NEED_KEYS.includes(k));
    if (unknown.length > 0)
      problems.add(`${where}:need`, `${where}:need config contains unknown keys: ${unknown.join(", ")}`, loc);
    if (raw["project"] !== undefined || raw["pipeline"] !== undefined || raw["ref"] !== undefined)
      problems.add(where, `${where} cross-project and parent-pipeline needs are not supported yet`, loc);
    const optional = raw["optional"] ?? false;
    const artifacts = raw["artifacts"] ?? true;
    if (typeof optional !== "boolean" || typeof artifacts !== "boolean") {
      problems.add(`${where}:need`, `${where}:need optional and artifacts should be boolean values`, loc);
      continue;
    }
    out.push({
      job: raw["job"],
      optional,
      artifacts,
      matrix: readNeedMatrix(raw["parallel"], where, loc, problems),
    });
  }
  if (out.length > MAX_NEEDS)
    problems.add(where, `${where} config has too many entries (maximum ${MAX_NEEDS})`, at);
  return out;
}

function readNeedMatrix(
  v: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
): Record<string, string[]>[] | null {
  if (v === undefined) return null;
  const matrix = isObj(v) ? v["matrix"] : undefined;
  if (!Array.isArray(matrix) || !matrix.every(isObj)) {
    problems.add(where, `${where} parallel should be a hash with a matrix: array of hashes`, at);
    return null;
  }
  return matrix.map((entry) =>
    Object.fromEntries(
      Object.entries(entry).map(([k, val]) => [k, (Array.isArray(val) ? val : [val]).map((x) => String(x))]),
    ),
  );
}
