/**
 * Collects garbage after every `everyBytes` (2 MiB) of job log, when the process runs with `--expose-gc`
 * (the bundled runner does, packages/stack/src/runner-bundle.ts).
 *
 * Why: every log byte passes through a few short-lived Buffers (socket read, masking, the upload
 * body) whose memory lives outside the V8 heap. V8 collects them only once such external memory has
 * grown by tens of MB since the last full GC, so a job printing fast made the runner's RSS swing
 * 35–60 MB above idle. A full collection of the runner's small heap takes a few milliseconds; one
 * every 2 MiB of log kept a 50 MB log within ≈ 10 MB of idle (8 MiB: ≈ 20 MB; measured,
 * BENCHMARKS.md "Runner overhead and memory").
 * Without `--expose-gc` (e.g. `tsx src/main.ts` in development) this does nothing.
 */
export class GcPacer {
  #since = 0;
  constructor(
    private readonly everyBytes = 2 * 1024 * 1024,
    private readonly gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
  ) {}

  add(bytes: number): void {
    if (!this.gc) return;
    this.#since += bytes;
    if (this.#since < this.everyBytes) return;
    this.#since = 0;
    this.gc();
  }
}
