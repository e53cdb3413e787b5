/** Readers for single job keywords; each reports problems worded like GitLab's and returns plain data. */
import { parseDuration } from "./duration.ts";
import { isObj, isScalar, isStringList, stringOrList } from "./json.ts";
import { RETRY_WHEN } from "./keywords.ts";
import type { Problems } from "./problems.ts";
import type { Environment, Image, Json, Retry, Service } from "./types.ts";

type At = (string | number)[];

/** A script is a string or a (nested, via anchors/`!reference`) list of strings; nesting is flattened. */
export function readScript(value: unknown, where: string, at: At, problems: Problems): string[] {
  if (value === undefined || value === null) return [];
  const lines: string[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (isScalar(v)) {
      lines.push(String(v));
      return true;
    }
    return Array.isArray(v) && depth < 10 && v.every((item) => walk(item, depth + 1));
  };
  if (!walk(value, 0)) {
    problems.add(
      where,
      `${where} config should be a string or a nested array of strings up to 10 levels deep`,
      at,
    );
    return [];
  }
  return lines;
}

const entrypoint = (v: unknown): string[] | null => (v === undefined ? null : stringOrList(v));

export function readImage(value: unknown, where: string, at: At, problems: Problems): Image | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return { name: value, entrypoint: null };
  if (isObj(value) && typeof value["name"] === "string") {
    const unknown = Object.keys(value).filter(
      (k) => !["name", "entrypoint", "pull_policy", "docker", "kubernetes"].includes(k),
    );
    if (unknown.length > 0)
      problems.add(where, `${where} config contains unknown keys: ${unknown.join(", ")}`, at);
    return { name: value["name"], entrypoint: entrypoint(value["entrypoint"]) };
  }
  problems.add(where, `${where} config should be a hash or a string`, at);
  return null;
}

export function readServices(value: unknown, where: string, at: At, problems: Problems): Service[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(where, `${where} config should be a array`, at);
    return [];
  }
  const out: Service[] = [];
  for (const [i, s] of value.flat(3).entries()) {
    if (typeof s === "string") out.push({ name: s, alias: null, entrypoint: null, command: null });
    else if (isObj(s) && typeof s["name"] === "string") {
      const alias = s["alias"];
      out.push({
        name: s["name"],
        alias: typeof alias === "string" ? alias : null,
        entrypoint: entrypoint(s["entrypoint"]),
        command: s["command"] === undefined ? null : stringOrList(s["command"]),
      });
    } else
      problems.add(`${where}:service`, `${where}:service config should be a hash or a string`, [...at, i]);
  }
  return out;
}

export function readRetry(value: unknown, where: string, at: At, problems: Problems): Retry | null {
  if (value === undefined || value === null) return null;
  const bad = (msg: string): null => {
    problems.add(where, `${where} ${msg}`, at);
    return null;
  };
  const checkMax = (max: unknown): max is number =>
    Number.isInteger(max) && (max as number) >= 0 && (max as number) <= 2;
  if (typeof value === "number")
    return checkMax(value)
      ? { max: value, when: [], exitCodes: [] }
      : bad("config should be an integer between 0 and 2");
  if (!isObj(value)) return bad("config should be a hash or an integer");
  const max = value["max"] ?? 0;
  if (!checkMax(max)) return bad("max config should be an integer between 0 and 2");
  const when = value["when"] === undefined ? [] : stringOrList(value["when"]);
  if (!when || when.some((w) => !RETRY_WHEN.has(w)))
    return bad("when config should be one of the known failure types");
  const raw = value["exit_codes"];
  const codes = raw === undefined ? [] : typeof raw === "number" ? [raw] : raw;
  if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c)))
    return bad("exit_codes config should be an array of integers");
  return { max, when, exitCodes: codes as number[] };
}

export function readTimeout(value: unknown, where: string, at: At, problems: Problems): number | null {
  if (value === undefined || value === null) return null;
  const s = parseDuration(value);
  if (s === null) problems.add(where, `${where} config should be a duration`, at);
  return s;
}

export function readTags(value: unknown, where: string, at: At, problems: Problems): string[] {
  if (value === undefined || value === null) return [];
  const flat = Array.isArray(value) ? value.flat(3) : null;
  if (!flat || !flat.every((t) => typeof t === "string")) {
    problems.add(where, `${where} config should be an array of strings`, at);
    return [];
  }
  return flat;
}

export function readEnvironment(
  value: unknown,
  where: string,
  at: At,
  problems: Problems,
): Environment | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return { name: value, url: null, action: null };
  if (isObj(value) && typeof value["name"] === "string") {
    const url = value["url"];
    const action = value["action"];
    const known =
      typeof action === "string" && ["start", "prepare", "stop", "verify", "access"].includes(action);
    if (action !== undefined && !known)
      problems.add(where, `${where} config contains unknown action: ${JSON.stringify(action)}`, at);
    return {
      name: value["name"],
      url: typeof url === "string" ? url : null,
      action: typeof action === "string" ? action : null,
    };
  }
  problems.add(where, `${where} config should be a hash or a string`, at);
  return null;
}

export function readHash(
  value: unknown,
  where: string,
  at: At,
  problems: Problems,
): { [key: string]: Json } | null {
  if (value === undefined || value === null) return null;
  if (isObj(value)) return value as { [key: string]: Json };
  problems.add(where, `${where} config should be a hash`, at);
  return null;
}

/** `cache:` — a hash or a list of hashes (at most 4), kept as written for the runner. */
export function readCache(value: unknown, where: string, at: At, problems: Problems): Json {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(isObj) || list.length > 4) {
    problems.add(where, `${where} config should be a hash or an array of up to 4 hashes`, at);
    return null;
  }
  return value as Json;
}

export function readOptionalString(value: unknown, where: string, at: At, problems: Problems): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  problems.add(where, `${where} config should be a string`, at);
  return null;
}

export function readOptionalBool(value: unknown, where: string, at: At, problems: Problems): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value;
  problems.add(where, `${where} config should be a boolean value`, at);
  return null;
}

export function readDependencies(value: unknown, where: string, at: At, problems: Problems): string[] | null {
  if (value === undefined || value === null) return null;
  if (isStringList(value)) return value;
  problems.add(where, `${where} config should be an array of strings`, at);
  return null;
}
