import { z } from "zod";
import { zBool } from "../../../../../../server/api-params";

/** GitLab's hook parameters minilab acts on; others GitLab knows are accepted and ignored. */
export const HookParams = z.object({
  url: z.string().max(2048).optional(),
  token: z.string().max(255).optional(),
  push_events: zBool.optional(),
  tag_push_events: zBool.optional(),
  pipeline_events: zBool.optional(),
  job_events: zBool.optional(),
  enable_ssl_verification: zBool.optional(),
});
export type HookParams = z.infer<typeof HookParams>;

export const toHookInput = (p: HookParams) => ({
  ...(p.url !== undefined ? { url: p.url } : {}),
  ...(p.token !== undefined ? { token: p.token } : {}),
  ...(p.push_events !== undefined ? { pushEvents: p.push_events } : {}),
  ...(p.tag_push_events !== undefined ? { tagPushEvents: p.tag_push_events } : {}),
  ...(p.pipeline_events !== undefined ? { pipelineEvents: p.pipeline_events } : {}),
  ...(p.job_events !== undefined ? { jobEvents: p.job_events } : {}),
  ...(p.enable_ssl_verification !== undefined ? { enableSslVerification: p.enable_ssl_verification } : {}),
});
