/**
 * The OCI Distribution spec's error codes (https://github.com/opencontainers/distribution-spec,
 * "Error Codes") with the HTTP status each is answered with. packages/registry sits below
 * @minilab/core, so it throws its own RegistryError; core's registry use-cases throw it too, and the
 * web adapter turns it into `{"errors":[{"code","message","detail"}]}`.
 */
export type RegistryErrorCode =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_INVALID"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "SIZE_INVALID"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  | "RANGE_INVALID";

const STATUS: Record<RegistryErrorCode, number> = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  RANGE_INVALID: 416,
};

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly status: number;
  readonly detail: unknown;

  /** `status` overrides the code's usual status (e.g. 413 for an oversized manifest). */
  constructor(code: RegistryErrorCode, message: string, opts: { status?: number; detail?: unknown } = {}) {
    super(message);
    this.name = "RegistryError";
    this.code = code;
    this.status = opts.status ?? STATUS[code];
    this.detail = opts.detail;
  }
}

export const isRegistryError = (e: unknown): e is RegistryError => e instanceof RegistryError;

/** The spec's error body. */
export function errorBody(e: RegistryError): {
  errors: { code: string; message: string; detail: unknown }[];
} {
  return { errors: [{ code: e.code, message: e.message, detail: e.detail ?? null }] };
}
