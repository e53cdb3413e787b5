/**
 * One Redis subscriber connection per web process, fanned out in memory to every SSE stream, so
 * N open job pages cost one connection rather than N (a subscribed ioredis connection can do
 * nothing else, and Redis caps connections).
 *
 * Invariant: a channel is SUBSCRIBEd while it has at least one listener. `listen` resolves only once
 * the SUBSCRIBE is acknowledged, so a caller that then reads Postgres cannot miss an event
 * published after that read. Commands on one connection run in order, so an UNSUBSCRIBE racing a
 * new SUBSCRIBE for the same channel is harmless. ioredis re-subscribes after reconnects; events
 * published while disconnected are lost, which is fine: events are notifications, Postgres is truth.
 */
import { createRedis, type Redis } from "@minilab/queue";
import { env } from "../env";

type Listener = (message: string) => void;

interface Hub {
  sub: Redis;
  listeners: Map<string, Set<Listener>>;
  /** The SUBSCRIBE in flight (or done) for each channel with listeners. */
  ready: Map<string, Promise<unknown>>;
}

const g = globalThis as { __minilabLiveHub?: Hub };

function hub(): Hub {
  if (g.__minilabLiveHub) return g.__minilabLiveHub;
  const sub = createRedis(env().redisUrl);
  const h: Hub = { sub, listeners: new Map(), ready: new Map() };
  sub.on("message", (channel: string, message: string) => {
    for (const fn of h.listeners.get(channel) ?? []) {
      try {
        fn(message);
      } catch (e) {
        console.error("live listener failed", e);
      }
    }
  });
  sub.on("error", (e: unknown) => console.error("live hub redis error", e));
  g.__minilabLiveHub = h;
  return h;
}

/** Calls `onMessage` for every message on `channel` until the returned function is called. */
export async function listen(channel: string, onMessage: Listener): Promise<() => void> {
  const h = hub();
  let set = h.listeners.get(channel);
  if (!set) {
    set = new Set();
    h.listeners.set(channel, set);
    h.ready.set(channel, h.sub.subscribe(channel));
  }
  set.add(onMessage);
  const stop = () => {
    const s = h.listeners.get(channel);
    if (!s?.delete(onMessage) || s.size > 0) return;
    h.listeners.delete(channel);
    h.ready.delete(channel);
    void h.sub.unsubscribe(channel).catch(() => undefined);
  };
  try {
    await h.ready.get(channel);
  } catch (e) {
    stop();
    throw e;
  }
  return stop;
}
