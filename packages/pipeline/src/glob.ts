/**
 * Glob matching as GitLab's `exists`/`changes`/`include:local` use it (Ruby `File.fnmatch` with
 * PATHNAME | DOTMATCH | EXTGLOB): `*` and `?` stay inside one path segment, `**\/` spans directories,
 * `{a,b}` alternates. Paths are root-relative; a leading `/` or `./` is ignored.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const p = normalisePath(pattern);
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? "";
    if (c === "*" && p[i + 1] === "*") {
      const slash = p[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = p.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${p
          .slice(i + 1, end)
          .split(",")
          .map(escape)
          .join("|")})`;
        i = end;
      }
    } else if (c === "[") {
      const end = p.indexOf("]", i);
      if (end < 0) re += "\\[";
      else {
        re += `[${p
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += escape(c);
  }
  const out = new RegExp(`^${re}$`);
  if (cache.size < 5000) cache.set(pattern, out);
  return out;
}

export function matchGlob(pattern: string, path: string): boolean {
  return globToRegExp(pattern).test(normalisePath(path));
}

export const hasGlob = (pattern: string): boolean => /[*?[{]/.test(pattern);

export const normalisePath = (path: string): string => path.replace(/^(\.\/|\/)+/, "");

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
