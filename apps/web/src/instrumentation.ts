/**
 * Runs once when the server starts: fail fast, naming the variable, on a bad environment; then start
 * the job reconciler (re-enqueues lost pending jobs, fails jobs whose runner went silent). Every web
 * process runs one; its updates are compare-and-set, so several at once are safe. Also the pipeline
 * scheduler and the webhook workers (see core/schedules and core/hooks), safe in several processes too.
 */
export async function register(): Promise<void> {
  if (process.env["NEXT_RUNTIME"] === "nodejs") {
    const { env } = await import("./env");
    env();
    const {
      startArtifactExpiry,
      startHookWorkers,
      startReconciler,
      startRegistryGc,
      startRunnerPresence,
      startScheduler,
    } = await import("@minilab/core");
    startReconciler();
    // Runners going offline (no contact for two minutes) as events: pending reasons, admin page.
    startRunnerPresence();
    startArtifactExpiry();
    // Container registry: `/v2/…` answered by its own Node handler before Next's router (blob
    // bytes without Next's web-stream copies), Content-Length on the fallback route's responses
    // (Next strips it), and hourly GC of untagged manifests and unreferenced blobs.
    const { installRegistryServer } = await import("./server/registry/node-server");
    installRegistryServer();
    const { installContentLengthPassthrough } = await import("./server/registry/content-length");
    installContentLengthPassthrough();
    startRegistryGc();
    // Runner API per-job requests (claim, finish, log upload) through the same Node dispatcher
    // (server/node-routes.ts): Next's per-request machinery was most of their cost.
    const { installRunnerApiServer } = await import("./server/runner-api-node");
    installRunnerApiServer();
    // Next's hashed build files (`/_next/static/…`) from memory, compressed once per file.
    const { installStaticAssetsServer } = await import("./server/static-assets-node");
    installStaticAssetsServer();
    // Pipeline schedules (each tick claimed once across processes) and outgoing webhooks (BullMQ
    // consumers; this process has the database the deliveries are logged in).
    startScheduler();
    startHookWorkers();
  }
}
