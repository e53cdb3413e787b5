/**
 * Runs a transaction again when Postgres aborted it as a deadlock victim or a serialization failure.
 * The use-cases order their locks to avoid deadlocks (see cancel-job.ts); this covers orders other
 * code may take that they cannot see. Safe because the aborted attempt committed nothing.
 */
const RETRYABLE = /deadlock detected|could not serialize access|P2034/i;

export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const retryable = code === "P2034" || code === "40P01" || RETRYABLE.test(String(e));
      if (!retryable || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
