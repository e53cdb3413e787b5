/** Programmatic access to the orchestrator's pieces (for tests and tools). */
export { parseConfig, ConfigError, type StackConfig } from "./config.ts";
export { summaryLines, vitestCounts, playwrightCounts, type StepResult } from "./test-report.ts";
export { JOB_IMAGES, ensureJobImages } from "./images.ts";
