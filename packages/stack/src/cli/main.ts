/** `npm run -s minilab -- …`: the admin CLI. JSON on stdout; errors as one line on stderr, exit 1. */
import { isAppError } from "@minilab/core";
import { createDb } from "@minilab/db";
import type { StackConfig } from "../config.ts";
import { COMMANDS, USAGE } from "./commands.ts";
import { resolveDatabaseUrl } from "./database.ts";
import { CliError } from "./errors.ts";

export async function cliCommand(cfg: StackConfig, argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  const handler = COMMANDS[`${noun ?? ""} ${verb ?? ""}`];
  if (!handler) {
    process.stderr.write(
      `${noun === "help" || noun === "--help" || !noun ? "" : `unknown command "${argv.slice(0, 2).join(" ")}"\n`}${USAGE}\n`,
    );
    return noun === "help" || noun === "--help" ? 0 : 1;
  }
  try {
    const db = createDb(await resolveDatabaseUrl(cfg));
    try {
      const result = await handler(db, rest);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    } finally {
      await db.$disconnect();
    }
  } catch (e) {
    if (e instanceof CliError || isAppError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
