/**
 * `artifacts:reports:dotenv` files → variables, with GitLab's rules: `KEY=value` lines, names of
 * letters, digits and `_`, blank lines and `#` comments skipped, surrounding quotes removed, no
 * multi-line values, at most 20 variables (GitLab's default limit) and 5 KiB.
 */
import { AppError } from "../errors.ts";

export const DOTENV_MAX_VARIABLES = 20;
export const DOTENV_MAX_BYTES = 5 * 1024;

export function parseDotenv(text: string): Record<string, string> {
  if (Buffer.byteLength(text) > DOTENV_MAX_BYTES)
    throw new AppError("too_large", `dotenv report is larger than ${DOTENV_MAX_BYTES} bytes`);
  const vars: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new AppError("invalid_input", `dotenv report line ${i + 1}: expected KEY=value`);
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) value = value.slice(1, -1);
    vars[m[1]!] = value;
  }
  if (Object.keys(vars).length > DOTENV_MAX_VARIABLES)
    throw new AppError("invalid_input", `dotenv report has more than ${DOTENV_MAX_VARIABLES} variables`);
  return vars;
}
