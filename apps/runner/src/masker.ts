/**
 * Streams log bytes with masked variable values replaced by `[MASKED]`.
 *
 * Invariant: no emitted byte sequence contains a secret, even when the secret arrives split across
 * writes. To guarantee it, the masker holds back the longest suffix of what it has seen that is a
 * prefix of some secret (at most `maxLen - 1` bytes) until the next write or {@link end}. Holding only
 * such a suffix — not a fixed window — keeps the live log from lagging when no secret is in sight.
 * Works on bytes, so multi-byte UTF-8 secrets are matched exactly.
 */
const REPLACEMENT = Buffer.from("[MASKED]");
const EMPTY = Buffer.alloc(0);

export class Masker {
  readonly #secrets: Buffer[];
  #tail: Buffer = Buffer.alloc(0);

  constructor(
    values: Iterable<string>,
    private readonly emit: (chunk: Buffer) => void,
  ) {
    // Longest first, so a secret containing another is replaced whole.
    this.#secrets = [...new Set(values)]
      .filter((v) => v.length > 0)
      .map((v) => Buffer.from(v))
      .sort((a, b) => b.length - a.length);
  }

  write(chunk: Buffer): void {
    if (this.#secrets.length === 0) return this.emit(chunk);
    // Most chunks have nothing held back: work on the chunk itself, no copy (log bytes are the
    // runner's main garbage, BENCHMARKS.md "Runner overhead and memory").
    this.#process(this.#tail.length > 0 ? Buffer.concat([this.#tail, chunk]) : chunk, false);
  }

  /** Emits whatever is held back; call once the producer is done. */
  end(): void {
    if (this.#tail.length > 0) this.#process(this.#tail, true);
  }

  #process(buf: Buffer, final: boolean): void {
    const out: Buffer[] = [];
    let i = 0;
    for (;;) {
      let best = -1;
      let bestLen = 0;
      for (const s of this.#secrets) {
        const at = buf.indexOf(s, i);
        if (at !== -1 && (best === -1 || at < best)) {
          best = at;
          bestLen = s.length;
        }
      }
      if (best === -1) break;
      if (!final && this.#longerMayFollow(buf, best, bestLen)) {
        // e.g. secrets "pä" and "pässwört" with only "pä" seen: wait for more bytes before deciding.
        this.#flush(out, buf.subarray(i, best), buf.subarray(best));
        return;
      }
      out.push(buf.subarray(i, best), REPLACEMENT);
      i = best + bestLen;
    }
    const hold = final ? 0 : this.#heldSuffix(buf, i);
    this.#flush(out, buf.subarray(i, buf.length - hold), buf.subarray(buf.length - hold));
  }

  #flush(out: Buffer[], last: Buffer, tail: Buffer): void {
    out.push(last);
    this.#tail = tail.length > 0 ? Buffer.from(tail) : EMPTY;
    const data = out.length === 1 ? out[0]! : Buffer.concat(out);
    if (data.length > 0) this.emit(data);
  }

  /** True when a secret longer than the match at `at` could still complete there with more bytes. */
  #longerMayFollow(buf: Buffer, at: number, matched: number): boolean {
    const rest = buf.subarray(at);
    return this.#secrets.some(
      (s) => s.length > matched && s.length > rest.length && s.subarray(0, rest.length).equals(rest),
    );
  }

  /** Length of the longest suffix of buf[from..] that is a proper prefix of a secret. */
  #heldSuffix(buf: Buffer, from: number): number {
    const avail = buf.length - from;
    let best = 0;
    for (const s of this.#secrets) {
      for (let k = Math.min(s.length - 1, avail); k > best; k--) {
        if (buf.subarray(buf.length - k).equals(s.subarray(0, k))) {
          best = k;
          break;
        }
      }
    }
    return best;
  }
}
