/** `npm start`: the whole platform in the foreground until Ctrl-C. */
import type { StackConfig } from "../config.ts";
import { log, since } from "../log.ts";
import { bringDown, bringUpApps, bringUpServices } from "../stack.ts";
import { isStopping, onShutdown } from "../shutdown.ts";
import { reclaimStaleState, removeState } from "../state.ts";

export async function startCommand(cfg: StackConfig): Promise<number> {
  const t0 = Date.now();
  await reclaimStaleState(cfg.dataDir);
  // On a signal, shutdown.ts stops every child it tracks (newest first) after this.
  onShutdown(async () => removeState(cfg.dataDir));
  log.step(`Starting minilab (data in ${cfg.dataDir})…`);
  const stack = await bringUpServices(cfg, "start", cfg.dataDir);
  await bringUpApps(stack);
  const admin = stack.provisioned.createdAdmin;
  log.ok(`minilab is up in ${since(t0)}: ${stack.externalUrl}`);
  if (admin) {
    log.info(`First login: user "${admin.username}", password ${admin.password}`);
    log.info(`(the password is also in ${admin.file}; change it after signing in)`);
  }
  log.info(
    `Logs: ${stack.logDir}   Admin CLI: npm run -s minilab -- user create --username alice --password …`,
  );
  log.info("Press Ctrl-C to stop.");
  // Stay up until a signal arrives; if a child dies on its own, stop the rest and report it.
  const dead = await Promise.race(
    stack.procs.map(
      (p) => new Promise<string>((r) => p.child.once("exit", () => r(`${p.name} ${p.exited() ?? "exited"}`))),
    ),
  );
  if (isStopping()) return 130;
  log.fail(dead);
  await bringDown(stack);
  return 1;
}
