/**
 * Turns a list of commands into one POSIX sh script. Each command is echoed as `$ <cmd>` in bold
 * green before it runs, like GitLab Runner. All commands share one shell, so `cd`/`export` carry over;
 * `set -e` makes the first failing command end the step with its exit code.
 */
const GREEN = "\\033[32;1m";
const RESET = "\\033[0;m";

/** Single-quotes a string for sh: the only character needing care inside '...' is ' itself. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

/**
 * @param fileVariables keys of `variable_type: file` variables: their environment value is written to
 *   a temporary file (silently, before the first command) and the variable becomes the file's path.
 */
export function buildScript(commands: readonly string[], fileVariables: readonly string[] = []): string {
  const lines = ["set -e"];
  const keys = fileVariables.filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  if (keys.length > 0) {
    lines.push(
      `__minilab_vars="$(mktemp -d 2>/dev/null || { mkdir -p /tmp/minilab-vars-$$ && echo /tmp/minilab-vars-$$; })"`,
    );
    for (const k of keys)
      lines.push(`printf '%s' "\${${k}}" > "$__minilab_vars/${k}"; ${k}="$__minilab_vars/${k}"; export ${k}`);
  }
  for (const cmd of commands) {
    // printf, not echo: busybox/dash echo interpret backslashes differently.
    lines.push(`printf '${GREEN}$ %s${RESET}\\n' ${shQuote(cmd)}`);
    lines.push(cmd);
  }
  return lines.join("\n") + "\n";
}

/** Docker `Env` entries; duplicate keys resolve to the last value, matching the variable precedence. */
export function toEnv(variables: readonly { key: string; value: string }[]): string[] {
  const map = new Map<string, string>();
  for (const v of variables) map.set(v.key, v.value);
  return [...map].map(([k, v]) => `${k}=${v}`);
}

/** Keys of the file-type variables among `variables` (see buildScript). */
export const fileVariableKeys = (
  variables: readonly { key: string; file?: boolean | undefined }[],
): string[] => [...new Set(variables.filter((v) => v.file).map((v) => v.key))];
