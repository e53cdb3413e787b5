export * from "./errors.ts";
export * from "./digest.ts";
export * from "./names.ts";
export * from "./manifest.ts";
export * from "./blob-store.ts";
export * from "./token.ts";
export * from "./file-stream.ts";
