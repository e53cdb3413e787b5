/** The promise an OutputSink returned (backpressure, see types.ts), if it returned one. */
export const backpressure = (returned: unknown): PromiseLike<unknown> | undefined =>
  typeof (returned as PromiseLike<unknown> | null | undefined)?.then === "function"
    ? (returned as PromiseLike<unknown>)
    : undefined;
