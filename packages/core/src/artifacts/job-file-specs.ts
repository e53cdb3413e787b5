/**
 * `artifacts:` and `cache:` of a planned job (kept by the pipeline engine as written in the YAML)
 * → the runner's ArtifactsSpec / CacheSpec. Read leniently: the engine already reported malformed
 * values as problems, so anything still odd here is dropped rather than failing the claim.
 */
import type { ArtifactDependency, ArtifactsSpec, CacheSpec, JobSpec } from "@minilab/contracts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
const whenOf = (v: unknown): ArtifactsSpec["when"] =>
  v === "on_failure" || v === "always" ? v : "on_success";

export function artifactsSpec(raw: unknown): ArtifactsSpec | null {
  if (!isObj(raw)) return null;
  const reports = isObj(raw["reports"]) ? raw["reports"] : {};
  const spec: ArtifactsSpec = {
    name: typeof raw["name"] === "string" && raw["name"].trim() ? raw["name"].trim() : "artifacts",
    paths: strings(raw["paths"]),
    exclude: strings(raw["exclude"]),
    untracked: raw["untracked"] === true,
    when: whenOf(raw["when"]),
    expireIn:
      typeof raw["expire_in"] === "string" || typeof raw["expire_in"] === "number"
        ? String(raw["expire_in"])
        : null,
    dotenv: strings(reports["dotenv"]),
  };
  const empty = spec.paths.length === 0 && !spec.untracked && spec.dotenv.length === 0;
  return empty ? null : spec;
}

/** Which cache keys a job's caches get (GitLab's separate caches for protected refs). */
export interface CacheScope {
  /** The pipeline's ref is a protected branch or tag. */
  protectedRef: boolean;
  /** The project's `ci_separated_caches` (default on); off = no suffix. */
  separated: boolean;
}

export function cacheSpecs(raw: unknown, scope?: CacheScope): CacheSpec[] {
  const list = Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw];
  return list.filter(isObj).flatMap((c): CacheSpec[] => {
    const paths = strings(c["paths"]);
    const untracked = c["untracked"] === true;
    if (paths.length === 0 && !untracked) return [];
    const key = c["key"];
    const policy = c["policy"];
    const spec: CacheSpec = {
      key: typeof key === "string" || typeof key === "number" ? String(key) : "default",
      paths,
      untracked,
      policy: policy === "pull" || policy === "push" ? policy : "pull-push",
      when: whenOf(c["when"]),
      fallbackKeys: strings(c["fallback_keys"]),
    };
    // `cache:unprotect: true` shares the unprotected cache with protected refs (GitLab).
    if (scope?.separated)
      spec.keySuffix = scope.protectedRef && c["unprotect"] !== true ? "-protected" : "-non_protected";
    if (isObj(key)) {
      const files = strings(key["files"]);
      if (files.length > 0) spec.keyFiles = files.slice(0, 2);
      if (typeof key["prefix"] === "string") spec.keyPrefix = key["prefix"];
    }
    return [spec];
  });
}

/** The JobSpec fields for artifacts, cache and dependency downloads. */
export function jobFileSpecs(
  planned: unknown,
  dependencies: ArtifactDependency[],
  cacheScope?: CacheScope,
): Pick<JobSpec, "artifacts" | "cache" | "dependencies"> {
  const p = isObj(planned) ? planned : {};
  const artifacts = artifactsSpec(p["artifacts"]);
  const cache = cacheSpecs(p["cache"], cacheScope);
  return {
    ...(artifacts ? { artifacts } : {}),
    ...(cache.length > 0 ? { cache } : {}),
    ...(dependencies.length > 0 ? { dependencies } : {}),
  };
}
