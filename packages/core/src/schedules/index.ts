export * from "./cron.ts";
export * from "./manage-schedules.ts";
export * from "./play-schedule.ts";
export * from "./run-schedule.ts";
export * from "./scheduler-loop.ts";
export { wakeScheduler } from "./wake.ts";
export * from "./to-api.ts";
