import { AppError } from "../errors.ts";

/**
 * Usernames and project paths share GitLab's path rules, because both become URL and filesystem
 * segments (`/<namespace>/<path>.git`).
 */
const PATH_SEGMENT = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/;

/** Top-level routes of the web app; a namespace with one of these names would shadow them. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "-",
  "api",
  "users",
  "projects",
  "admin",
  "help",
  "explore",
  "dashboard",
  "login",
  "logout",
  "signup",
  "settings",
  "new",
  "assets",
  "public",
  "static",
  "metrics",
  "health",
  "groups",
  "runners",
  // the container registry API and its token endpoint
  "v2",
  "jwt",
]);

export function checkPathSegment(kind: string, value: string): void {
  const problem =
    value.length < 2 || value.length > 255
      ? "must be 2 to 255 characters long"
      : !PATH_SEGMENT.test(value)
        ? "may contain only letters, digits, '_', '.', '-' and must not start with '.' or '-'"
        : /\.(git|atom)$/i.test(value)
          ? "must not end in .git or .atom"
          : value.includes("..")
            ? "must not contain '..'"
            : RESERVED_NAMES.has(value.toLowerCase())
              ? "is reserved"
              : undefined;
  if (problem) throw new AppError("invalid_input", `${kind} ${problem}`, { field: kind });
}
