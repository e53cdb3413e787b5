export * from "./runner-api.ts";
export * from "./queue.ts";
export * from "./events.ts";
export * from "./artifacts.ts";
export * from "./hooks.ts";
