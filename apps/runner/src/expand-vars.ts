/** `$VAR`, `${VAR}` in artifact/cache settings, from the job's variables (unknown → empty), as GitLab. */
export function expandVars(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, a?: string, b?: string) => vars.get((a ?? b)!) ?? "",
  );
}
