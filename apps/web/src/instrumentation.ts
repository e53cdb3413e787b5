/**
 * Runs once when the server starts: fail fast, naming the variable, on a bad environment; then start
 * the job reconciler (re-enqueues lost pending jobs, fails jobs whose runner went silent). Every web
 * process runs one; its updates are compare-and-set, so several at once are safe.
 */
export async function register(): Promise<void> {
  if (process.env["NEXT_RUNTIME"] === "nodejs") {
    const { env } = await import("./env");
    env();
    const { startReconciler } = await import("@minilab/core");
    startReconciler();
  }
}
