/** Small type guards for values that came out of YAML. */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

export const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string");

/** A string or a list of strings, as many keywords accept; null when neither. */
export function stringOrList(v: unknown): string[] | null {
  if (typeof v === "string") return [v];
  return isStringList(v) ? v : null;
}

/**
 * GitLab's deep merge (`extends`, `include`): hashes merge key by key, everything else — arrays
 * included — is replaced by the overriding value.
 */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isObj(prev) && isObj(value) ? deepMerge(prev, value) : value;
  }
  return out;
}
