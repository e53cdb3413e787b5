/** URL builders for the repository browser (GitLab's shapes; each path segment encoded once). */

export const encodeSegments = (p: string): string =>
  p
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/");

const join = (...parts: string[]): string => parts.filter((p) => p !== "").join("/");

export const treeUrl = (base: string, ref: string, path = ""): string =>
  `${base}/-/tree/${join(encodeSegments(ref), encodeSegments(path))}`;

export const blobUrl = (base: string, ref: string, path: string): string =>
  `${base}/-/blob/${join(encodeSegments(ref), encodeSegments(path))}`;

export const rawUrl = (base: string, ref: string, path: string, download = false): string =>
  `${base}/-/raw/${join(encodeSegments(ref), encodeSegments(path))}${download ? "?inline=false" : ""}`;

export const commitsUrl = (base: string, ref: string, path = ""): string =>
  `${base}/-/commits/${join(encodeSegments(ref), encodeSegments(path))}`;

export const commitUrl = (base: string, sha: string): string => `${base}/-/commit/${sha}`;

export const compareUrl = (base: string, from: string, to: string): string =>
  `${base}/-/compare/${encodeSegments(from)}...${encodeSegments(to)}`;

/**
 * Catch-all params as plain strings. Next hands them over still percent-encoded (`with%20space`),
 * so each is decoded exactly once; a malformed escape is kept as is (and then matches nothing).
 */
export const joinSegments = (segments: string[] | undefined): string[] =>
  (segments ?? []).filter((s) => s !== "").map(safeDecode);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
