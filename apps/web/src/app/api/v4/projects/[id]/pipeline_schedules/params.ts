import { z } from "zod";
import { zBool } from "../../../../../../server/api-params";

/** GitLab's schedule parameters (create: description, ref, cron required). */
export const ScheduleParams = z.object({
  description: z.string().max(255).optional(),
  ref: z.string().max(1024).optional(),
  cron: z.string().max(255).optional(),
  cron_timezone: z.string().max(255).optional(),
  active: zBool.optional(),
});
export type ScheduleParams = z.infer<typeof ScheduleParams>;

export const toScheduleInput = (p: ScheduleParams) => ({
  ...(p.description !== undefined ? { description: p.description } : {}),
  ...(p.ref !== undefined ? { ref: p.ref } : {}),
  ...(p.cron !== undefined ? { cron: p.cron } : {}),
  ...(p.cron_timezone !== undefined ? { cronTimezone: p.cron_timezone } : {}),
  ...(p.active !== undefined ? { active: p.active } : {}),
});

export const VariableParams = z.object({
  key: z.string().min(1).max(255),
  value: z.string(),
  variable_type: z.enum(["env_var"]).optional(),
});
