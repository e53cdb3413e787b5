/**
 * The one error type use-cases throw for expected failures. Transport adapters (route handlers,
 * server actions, the CLI) map `code` to a response in one place each (apps/web/src/server/http.ts);
 * anything that is not an AppError is a bug and becomes a 500 with a logged stack.
 */
export type AppErrorCode =
  /** Input failed validation (400). */
  | "invalid_input"
  /** No or bad credentials (401). */
  | "unauthorized"
  /** Authenticated but not allowed (403). */
  | "forbidden"
  /** Does not exist, or the caller may not know it exists (404). */
  | "not_found"
  /** Conflicts with current state, e.g. a taken name or a job already claimed (409). */
  | "conflict"
  /** Request range does not match stored state (416), used by the log upload. */
  | "range_mismatch"
  /** Too large (413). */
  | "too_large"
  /** Well-formed but not applicable to the current state, e.g. canceling a finished job (422). */
  | "unprocessable";

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Optional machine-readable details, e.g. field errors or the acknowledged log offset. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  range_mismatch: 416,
  too_large: 413,
  unprocessable: 422,
};
