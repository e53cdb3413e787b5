/** Reported to the server in heartbeats and claims; shown on the admin runners page. */
export const RUNNER_VERSION = "minilab-runner 0.1.0";
