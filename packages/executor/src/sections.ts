/**
 * GitLab-style collapsible log sections. The web log viewer (like GitLab's) recognises these markers;
 * `\x1b[0K` clears the line so terminals that don't know them show only the header.
 */
const unix = (): number => Math.floor(Date.now() / 1000);

export function sectionStart(name: string, header: string, opts: { collapsed?: boolean } = {}): Buffer {
  const flags = opts.collapsed ? "[collapsed=true]" : "";
  return Buffer.from(`\x1b[0Ksection_start:${unix()}:${name}${flags}\r\x1b[0K${header}\n`);
}

export function sectionEnd(name: string): Buffer {
  return Buffer.from(`\x1b[0Ksection_end:${unix()}:${name}\r\x1b[0K\n`);
}

/** A bold-cyan informational line, as GitLab Runner prints its own messages. */
export function infoLine(text: string): Buffer {
  return Buffer.from(`\x1b[36;1m${text}\x1b[0;m\n`);
}

/** A bold-red error line for runner-side failures. */
export function errorLine(text: string): Buffer {
  return Buffer.from(`\x1b[31;1m${text}\x1b[0;m\n`);
}
