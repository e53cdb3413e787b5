export * from "./errors.ts";
export * from "./config.ts";
export * from "./auth/index.ts";
export * from "./projects/index.ts";
export * from "./runners/index.ts";
export * from "./pipelines/index.ts";
export * from "./jobs/index.ts";
export * from "./queries/index.ts";
