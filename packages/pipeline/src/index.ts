export * from "./types.ts";
export { parsePipeline, DEFAULT_STAGES, MAX_CONFIG_BYTES } from "./parse.ts";
export { planPipeline } from "./plan.ts";
