/**
 * packages/git sits below @minilab/core (core imports git), so it cannot throw core's AppError.
 * It throws GitInputError for caller mistakes (bad path segment, malformed sha/ref); adapters map
 * `code` onto AppError codes of the same name.
 */
export class GitInputError extends Error {
  readonly code: "invalid_input" | "not_found";

  constructor(code: "invalid_input" | "not_found", message: string) {
    super(message);
    this.name = "GitInputError";
    this.code = code;
  }
}

export const isGitInputError = (e: unknown): e is GitInputError => e instanceof GitInputError;
