export * from "./types.ts";
export * from "./list-pipelines.ts";
export * from "./get-pipeline-with-jobs.ts";
export * from "./get-job.ts";
export * from "./latest-pipeline.ts";
export * from "./api-mappers.ts";
