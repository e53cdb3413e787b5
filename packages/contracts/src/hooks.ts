/**
 * Outgoing webhooks on the queue. Two BullMQ queues, both consumed in the web process (which has the
 * database): {@link HOOK_EVENTS_QUEUE} carries domain events (a push was recorded, a pipeline or job
 * changed status) and fans each out into one delivery row per subscribed hook; {@link
 * HOOK_DELIVERIES_QUEUE} carries delivery ids and POSTs them, retrying with exponential backoff.
 */
import { z } from "zod";

export const HOOK_EVENTS_QUEUE = "minilab-hook-events";
export const HOOK_DELIVERIES_QUEUE = "minilab-hook-deliveries";

export const HookEvent = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("push"),
    uuid: z.string(),
    projectId: z.number().int(),
    pushEventId: z.number().int(),
  }),
  z.object({
    kind: z.literal("pipeline"),
    uuid: z.string(),
    projectId: z.number().int(),
    pipelineId: z.number().int(),
    status: z.string(),
  }),
  z.object({
    kind: z.literal("job"),
    uuid: z.string(),
    projectId: z.number().int(),
    pipelineId: z.number().int(),
    jobId: z.number().int(),
    status: z.string(),
  }),
]);
export type HookEvent = z.infer<typeof HookEvent>;

export const HookDeliveryDispatch = z.object({ deliveryId: z.string() });
export type HookDeliveryDispatch = z.infer<typeof HookDeliveryDispatch>;
