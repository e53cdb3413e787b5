/** Short step-by-step progress lines, on stderr so command output (JSON from the CLI) stays clean. */
const write = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export const log = {
  step: (msg: string): void => write(`▸ ${msg}`),
  ok: (msg: string): void => write(`✓ ${msg}`),
  info: (msg: string): void => write(`  ${msg}`),
  warn: (msg: string): void => write(`! ${msg}`),
  fail: (msg: string): void => write(`✗ ${msg}`),
};

/** Seconds since `t0`, for "✓ Postgres ready (1.2 s)". */
export const since = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
