/**
 * Live events published on Redis pub/sub for server-sent events. They are notifications only: the
 * truth is in Postgres, and a subscriber that missed one re-reads state from there.
 */
import { z } from "zod";

/** Log bytes appended to a job: `[offset, offset + data.length)`; `data` is base64. */
export const LogEvent = z.object({ offset: z.number().int(), data: z.string() });
export type LogEvent = z.infer<typeof LogEvent>;

export const StatusEvent = z.object({
  kind: z.enum(["pipeline", "job"]),
  id: z.number().int(),
  pipelineId: z.number().int(),
  projectId: z.number().int(),
  status: z.string(),
});
export type StatusEvent = z.infer<typeof StatusEvent>;

export const channels = {
  jobLog: (jobId: number) => `minilab:job:${jobId}:log`,
  projectStatus: (projectId: number) => `minilab:project:${projectId}:status`,
};
