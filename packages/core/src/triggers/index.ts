export * from "./manage-triggers.ts";
export * from "./resolve-pipeline-ref.ts";
export * from "./run-trigger.ts";
export * from "./to-api.ts";
