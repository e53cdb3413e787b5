/**
 * The orchestrator, started by scripts/bootstrap.mjs once system and npm packages are in place.
 *   start    the whole platform in the foreground
 *   test     throwaway stack + every check and test suite, summary last
 *   bench    throwaway stack + bench/*.ts (or only those whose names contain an argument)
 *   cli      the admin CLI (user/token/project/runner create)
 *   migrate  apply prisma/migrations to DATABASE_URL (containers)
 *   setup    migrate + first admin + runner token into MINILAB_DATA_DIR (containers)
 */
import { cliCommand } from "./cli/main.ts";
import { benchCommand } from "./commands/bench.ts";
import { setupCommand } from "./commands/setup.ts";
import { startCommand } from "./commands/start.ts";
import { testCommand } from "./commands/test.ts";
import { loadConfig } from "./config.ts";
import { log } from "./log.ts";
import { installSignalHandlers, isStopping } from "./shutdown.ts";

async function main(argv: string[]): Promise<number> {
  const [command = "start", ...rest] = argv;
  const cfg = loadConfig();
  switch (command) {
    case "start":
      installSignalHandlers();
      return startCommand(cfg);
    case "test":
      installSignalHandlers();
      return testCommand(cfg, rest);
    case "bench":
      installSignalHandlers();
      return benchCommand(cfg, rest);
    case "cli":
      return cliCommand(cfg, rest);
    case "migrate":
    case "setup":
      return setupCommand(cfg, command);
    default:
      log.fail(`unknown command "${command}"`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (!isStopping()) process.exit(code);
  },
  (e: unknown) => {
    // While a signal-triggered shutdown runs, failures of the interrupted start are expected noise.
    if (isStopping()) return;
    log.fail(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
    // The `exit` hook in shutdown.ts stops any child that is still running.
    process.exit(1);
  },
);
