/**
 * `cache:` around the script, as gitlab-runner does it locally:
 * - restore (policy pull / pull-push): the key, then each `fallback_keys` entry, then the
 *   CACHE_FALLBACK_KEY variable; the first archive found is extracted into the project dir.
 * - save (policy push / pull-push, when `cache:when` matches the outcome): the selected paths are
 *   zipped under the key. Cache problems never fail a job; they are warnings in its log.
 * `key:files` makes the key a SHA-256 of those files' contents (GitLab hashes the commits that last
 * changed them; contents change exactly when such a commit exists), `key:prefix` goes in front.
 * Both executors see the project dir on the host (docker bind-mounts it), so this runs on the host.
 *
 * Separate caches (GitLab's default): the server sends `keySuffix` (`-protected` / `-non_protected`),
 * appended to the key and to every `fallback_keys` entry, so a job of an unprotected branch can
 * neither write nor read a protected ref's cache. CACHE_FALLBACK_KEY is used as given, but refused
 * when it names a protected cache (ends in `-protected`), as gitlab-runner does.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CacheSpec, JobSpec } from "@minilab/contracts";
import { errorLine, infoLine } from "@minilab/executor";
import type { CacheStore } from "./cache-store.ts";
import { expandVars } from "./expand-vars.ts";
import { normalisePattern, selectFiles } from "./path-globs.ts";
import { extractZip, writeZip } from "./zip-files.ts";

export interface CacheContext {
  spec: JobSpec;
  dir: string;
  store: CacheStore;
  out: (b: Buffer) => void;
}

export async function cacheKey(
  c: CacheSpec,
  dir: string,
  vars: ReadonlyMap<string, string>,
): Promise<string> {
  return (await baseKey(c, dir, vars)) + (c.keySuffix ?? "");
}

async function baseKey(c: CacheSpec, dir: string, vars: ReadonlyMap<string, string>): Promise<string> {
  if (c.keyFiles && c.keyFiles.length > 0) {
    const hash = createHash("sha256");
    let found = 0;
    for (const f of c.keyFiles) {
      const rel = normalisePattern(expandVars(f, vars));
      const data = rel ? await readFile(path.join(dir, rel)).catch(() => null) : null;
      if (!data) continue;
      found++;
      hash.update(`${rel}\0${data.length}\0`).update(data);
    }
    const prefix = c.keyPrefix ? expandVars(c.keyPrefix, vars) : "";
    const body = found > 0 ? hash.digest("hex") : "default";
    return prefix ? `${prefix}-${body}` : body;
  }
  return expandVars(c.key, vars).trim() || "default";
}

const validKey = (k: string): boolean => k !== "." && k !== ".." && !k.includes("/") && !/%2f/i.test(k);
const varsOf = (spec: JobSpec): Map<string, string> => new Map(spec.variables.map((v) => [v.key, v.value]));
const projectOf = (spec: JobSpec): string => varsOf(spec).get("CI_PROJECT_ID") ?? spec.git.projectDir;

/** CACHE_FALLBACK_KEY, unless it would read a protected cache (trailing ` /\\` do not hide that). */
function globalFallbackKey(vars: ReadonlyMap<string, string>, out: (b: Buffer) => void): string | null {
  const raw = vars.get("CACHE_FALLBACK_KEY");
  if (!raw) return null;
  const key = raw.replace(/[ /\\]+$/, "");
  if (!key.endsWith("-protected")) return key;
  out(errorLine(`WARNING: CACHE_FALLBACK_KEY "${raw}" not allowed to end in "-protected"`));
  return null;
}

export async function restoreCache({ spec, dir, store, out }: CacheContext): Promise<void> {
  const vars = varsOf(spec);
  for (const c of spec.cache ?? []) {
    if (c.policy === "push") continue;
    const key = await cacheKey(c, dir, vars);
    const fallback = globalFallbackKey(vars, out);
    const keys = [
      key,
      ...c.fallbackKeys.map((k) => expandVars(k, vars) + (c.keySuffix ?? "")),
      ...(fallback ? [fallback] : []),
    ];
    let hit = false;
    for (const k of keys) {
      if (!validKey(k)) {
        out(errorLine(`WARNING: cache key "${k}" is not valid (no "/", not "." or "..")`));
        continue;
      }
      out(infoLine(`Checking cache for ${k}...`));
      const file = await store.lookup(projectOf(spec), k);
      if (!file) continue;
      try {
        const n = await extractZip(file, dir);
        out(Buffer.from(`Successfully extracted cache (${n} files)\n`));
        hit = true;
        break;
      } catch (err) {
        out(
          errorLine(
            `WARNING: failed to extract cache ${k}: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
      }
    }
    if (!hit) out(errorLine(`WARNING: no cache found for ${keys.join(", ")}`));
  }
}

export async function saveCache({ spec, dir, store, out }: CacheContext, succeeded: boolean): Promise<void> {
  const vars = varsOf(spec);
  for (const c of spec.cache ?? []) {
    if (c.policy === "pull") continue;
    if (c.when === "on_success" ? !succeeded : c.when === "on_failure" ? succeeded : false) continue;
    const key = await cacheKey(c, dir, vars);
    if (!validKey(key)) {
      out(errorLine(`WARNING: cache key "${key}" is not valid, cache not saved`));
      continue;
    }
    out(infoLine(`Creating cache ${key}...`));
    try {
      const sel = await selectFiles(dir, {
        paths: c.paths.map((p) => expandVars(p, vars)),
        untracked: c.untracked,
      });
      for (const line of sel.report) out(Buffer.from(`${line}\n`));
      if (sel.files.length === 0) {
        out(errorLine("WARNING: no files to cache, cache not saved"));
        continue;
      }
      const size = await writeZip(dir, sel.files, store.file(projectOf(spec), key));
      const evicted = await store.evict();
      out(Buffer.from(`Created cache (${sel.files.length} files, ${(size / 1024 / 1024).toFixed(2)} MB)\n`));
      if (evicted > 0)
        out(Buffer.from(`Removed ${evicted} least recently used cache archive(s) (cache_max_size)\n`));
    } catch (err) {
      out(errorLine(`WARNING: failed to create cache: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}
