import { Link } from "../../../../../components/link";
import { statusLabel } from "../../../../../components/status";

export const STATUS_FILTERS = [
  "created",
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
] as const;
export const SOURCE_FILTERS = ["push", "web", "api", "trigger", "schedule"] as const;

export interface Filters {
  status?: (typeof STATUS_FILTERS)[number];
  source?: string;
  ref?: string;
  /** Who started the pipeline (GitLab's `?username=`). */
  username?: string;
}

/** Reads the filters from the query string; unknown values are ignored, not errors. */
export function readFilters(q: Record<string, string | string[] | undefined>): Filters {
  const one = (k: string) => (typeof q[k] === "string" ? q[k].trim() : "");
  const f: Filters = {};
  const status = STATUS_FILTERS.find((s) => s === one("status"));
  if (status) f.status = status;
  const source = SOURCE_FILTERS.find((s) => s === one("source"));
  if (source) f.source = source;
  const ref = one("ref");
  if (ref && ref.length <= 255) f.ref = ref;
  const username = one("username");
  if (username && username.length <= 255) f.username = username;
  return f;
}

export function filterParams(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.status) out["status"] = f.status;
  if (f.source) out["source"] = f.source;
  if (f.ref) out["ref"] = f.ref;
  if (f.username) out["username"] = f.username;
  return out;
}

/** A plain GET form, so filtering works without JavaScript and filtered lists are linkable. */
export function PipelineFilters({ action, filters }: { action: string; filters: Filters }) {
  const active = Object.keys(filterParams(filters)).length > 0;
  return (
    <form
      action={action}
      method="get"
      role="search"
      aria-label="Filter pipelines"
      className="mb-4 flex flex-wrap items-end gap-3"
      data-testid="pipeline-filters"
    >
      <div>
        <label htmlFor="filter-status" className="label">
          Status
        </label>
        <select id="filter-status" name="status" defaultValue={filters.status ?? ""} className="input">
          <option value="">Any</option>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-source" className="label">
          Source
        </label>
        <select id="filter-source" name="source" defaultValue={filters.source ?? ""} className="input">
          <option value="">Any</option>
          {SOURCE_FILTERS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-ref" className="label">
          Branch or tag
        </label>
        <input
          id="filter-ref"
          name="ref"
          defaultValue={filters.ref ?? ""}
          className="input"
          placeholder="main"
        />
      </div>
      <div>
        <label htmlFor="filter-username" className="label">
          Triggerer
        </label>
        <input
          id="filter-username"
          name="username"
          defaultValue={filters.username ?? ""}
          className="input"
          placeholder="username"
          autoComplete="off"
        />
      </div>
      <button type="submit" className="btn">
        Filter
      </button>
      {active && (
        <Link href={action} className="btn">
          Clear
        </Link>
      )}
    </form>
  );
}
