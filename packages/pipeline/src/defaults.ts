/**
 * `default:` (and the legacy top-level `image`/`services`/`cache`/`before_script`/`after_script`) folded
 * into each job that lacks the key, filtered by the job's `inherit:default`.
 */
import { isObj, isStringList, type Obj } from "./json.ts";
import { DEFAULT_KEYS, LEGACY_DEFAULT_KEYS } from "./keywords.ts";
import type { Problems } from "./problems.ts";

/** The effective defaults; `default:` wins over legacy globals. Reports unsupported/unknown keys. */
export function readDefaults(root: Obj, problems: Problems): Obj {
  const out: Obj = {};
  for (const key of LEGACY_DEFAULT_KEYS) if (root[key] !== undefined) out[key] = root[key];
  const d = root["default"];
  if (d === undefined || d === null) return out;
  if (!isObj(d)) {
    problems.add("default", "default config should be a hash", ["default"]);
    return out;
  }
  for (const [key, value] of Object.entries(d)) {
    if (key === "hooks" || key === "id_tokens")
      problems.add(`default:${key}`, `default:${key} config is not supported yet`, ["default", key]);
    else if (!DEFAULT_KEYS.has(key))
      problems.add("default", `default config contains unknown keys: ${key}`, ["default", key]);
    else out[key] = value;
  }
  return out;
}

export type Inherit = { defaults: boolean | string[]; variables: boolean | string[] };

export function readInherit(job: Obj, name: string, problems: Problems): Inherit {
  const raw = job["inherit"];
  const out: Inherit = { defaults: true, variables: true };
  if (raw === undefined) return out;
  const where = `jobs:${name}:inherit`;
  if (!isObj(raw)) {
    problems.add(where, `${where} config should be a hash`, [name, "inherit"]);
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key !== "default" && key !== "variables") {
      problems.add(where, `${where} config contains unknown keys: ${key}`, [name, "inherit", key]);
      continue;
    }
    if (typeof value !== "boolean" && !isStringList(value)) {
      problems.add(
        `${where}:${key}`,
        `${where}:${key} config should be a boolean value or an array of strings`,
        [name, "inherit", key],
      );
      continue;
    }
    if (key === "default") out.defaults = value;
    else out.variables = value;
  }
  return out;
}

export function applyDefaults(job: Obj, defaults: Obj, inherit: Inherit): Obj {
  const out: Obj = { ...job };
  for (const [key, value] of Object.entries(defaults)) {
    const allowed =
      inherit.defaults === true || (Array.isArray(inherit.defaults) && inherit.defaults.includes(key));
    if (allowed && out[key] === undefined) out[key] = value;
  }
  return out;
}
