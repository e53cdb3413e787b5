import { Redis } from "ioredis";

/**
 * A Redis connection usable by BullMQ. `maxRetriesPerRequest: null` is required by BullMQ workers
 * (blocking commands must wait through reconnects instead of failing).
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

export type { Redis };
