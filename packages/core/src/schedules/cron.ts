/**
 * Cron expressions of pipeline schedules: GitLab's five fields (minute hour day month weekday) or a
 * macro such as `@daily`, evaluated in an IANA time zone (cron-parser, the parser BullMQ uses).
 */
import { CronExpressionParser } from "cron-parser";
import { AppError } from "../errors.ts";

const MACROS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** Throws `invalid_input` naming the problem; returns the trimmed expression. */
export function checkCron(cron: string, timeZone: string): string {
  const expr = cron.trim().replace(/\s+/g, " ");
  if (!isValidTimeZone(timeZone))
    throw new AppError("invalid_input", `cron_timezone is invalid: ${timeZone}`);
  if (!MACROS.has(expr.toLowerCase()) && expr.split(" ").length !== 5)
    throw new AppError(
      "invalid_input",
      "cron is invalid syntax: use five fields (minute hour day month weekday)",
    );
  try {
    CronExpressionParser.parse(expr, { tz: timeZone }).next();
  } catch (e) {
    throw new AppError(
      "invalid_input",
      `cron is invalid syntax: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return expr;
}

/** The first tick strictly after `after`. */
export function nextCronTick(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: after }).next().toDate();
}
