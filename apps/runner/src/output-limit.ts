/**
 * Caps a job's log at `output_limit`: bytes beyond it are dropped and one final line says so (as
 * gitlab-runner does). The job keeps running; only the log is cut. Sits after the masker, so the
 * limit counts what is stored.
 */
export class OutputLimit {
  #written = 0;
  #cut = false;

  constructor(
    private readonly limitBytes: number,
    private readonly emit: (chunk: Buffer) => void,
  ) {}

  get truncated(): boolean {
    return this.#cut;
  }

  write(chunk: Buffer): void {
    if (this.#cut) return;
    const room = this.limitBytes - this.#written;
    if (chunk.length <= room) {
      this.#written += chunk.length;
      this.emit(chunk);
      return;
    }
    this.#cut = true;
    if (room > 0) this.emit(chunk.subarray(0, room));
    this.#written = this.limitBytes;
    this.emit(
      Buffer.from(
        `\n\x1b[31;1mJob's log exceeded limit of ${this.limitBytes} bytes (output_limit ${Math.floor(this.limitBytes / 1024)} KB).\nJob execution will continue but no more output will be collected.\x1b[0;m\n`,
      ),
    );
  }
}
