/* eslint-disable no-control-regex -- ANSI escape sequences are the input this module parses. */
/**
 * Turns raw job log text into lines for the log viewer, GitLab style: ANSI colours via ansi_up
 * (which escapes HTML), section markers
 * (`\e[0Ksection_start:<unix>:<name>[collapsed=true]\r\e[0K<header>` … `\e[0Ksection_end:<unix>:<name>\r\e[0K`)
 * recorded as line metadata (log-sections.ts builds the tree), and carriage-return progress lines
 * collapsed to their last state.
 *
 * Streaming: text is pushed in arbitrary chunks. Complete lines go through one stateful AnsiUp (so
 * colours carry across lines); the trailing partial line is rendered separately with a throwaway
 * converter and re-rendered as more of it arrives. Line numbers are absolute: a renderer that starts
 * in the middle of a log is told the number of its first line.
 */
import { AnsiUp } from "ansi_up";

export interface SectionMark {
  name: string;
  /** Unix seconds recorded by the runner. */
  ts: number;
}

export interface LogLine {
  /** 1-based line number in the whole log. */
  n: number;
  html: string;
  /** Plain text (ANSI stripped), for search. */
  text: string;
  /** This line opens a section (it is the section's header). */
  start?: SectionMark & { collapsed: boolean };
  /** Sections closed on this line (before any `start` on it). */
  ends?: SectionMark[];
  /** Only closes sections: GitLab does not show such a line. */
  hidden?: boolean;
  /** `Date.now()` when the browser received the line live (not for lines loaded from storage). */
  receivedAt?: number;
}

const SECTION_START = /\x1b\[0Ksection_start:(\d+):([^\r\n[]+?)(?:\[([^\]\r\n]*)\])?\r\x1b\[0K/;
const SECTION_END = /\x1b\[0Ksection_end:(\d+):([^\r\n]*?)\r\x1b\[0K/g;
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
/** GitLab Runner's notice when a job's output passed its log limit. */
export const TRUNCATION_NOTICE = /Job's log exceeded limit of (\d+) bytes/;

function converter(): AnsiUp {
  const a = new AnsiUp();
  a.escape_html = true;
  a.use_classes = false;
  return a;
}

export class LogRenderer {
  private readonly ansi = converter();
  private partial = "";
  private next: number;
  lines: LogLine[] = [];

  constructor(firstLine = 1) {
    this.next = firstLine;
  }

  /** Adds text; returns the number of complete lines added. */
  push(text: string, receivedAt?: number): number {
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop() ?? "";
    for (const raw of parts) {
      const line = renderLine(raw, this.next++, this.ansi);
      if (receivedAt !== undefined) line.receivedAt = receivedAt;
      this.lines.push(line);
    }
    return parts.length;
  }

  /** Puts earlier lines (fetched on demand) before the loaded ones. */
  prepend(block: LogLine[]): void {
    this.lines = block.concat(this.lines);
  }

  /** The unfinished last line, rendered without disturbing the colour state of complete lines. */
  partialLine(): LogLine | null {
    if (!this.partial) return null;
    const line = renderLine(this.partial, this.next, converter());
    // A dangling escape sequence (e.g. the colour reset after the last newline) is not a line.
    return line.html !== "" && !line.hidden ? line : null;
  }
}

/** Renders a block of complete lines (e.g. an earlier part of the log fetched on demand). */
export function renderBlock(text: string, firstLine: number): LogLine[] {
  const r = new LogRenderer(firstLine);
  r.push(text.endsWith("\n") ? text : `${text}\n`);
  return r.lines;
}

function renderLine(raw: string, n: number, ansi: AnsiUp): LogLine {
  let text = raw;
  const ends: SectionMark[] = [];
  for (const m of text.matchAll(SECTION_END)) ends.push({ ts: Number(m[1]), name: m[2] ?? "" });
  if (ends.length) text = text.replace(SECTION_END, "");
  const s = SECTION_START.exec(text);
  const line: LogLine = { n, html: "", text: "" };
  if (s) {
    text = text.replace(SECTION_START, "");
    line.start = { ts: Number(s[1]), name: s[2] ?? "", collapsed: /collapsed=true/.test(s[3] ?? "") };
  }
  if (ends.length) line.ends = ends;
  text = lastCarriageReturnSegment(text);
  line.text = text.replace(ANSI, "");
  // A line that only closed a section is not shown (GitLab hides it too).
  if (ends.length && !s && line.text.trim() === "") line.hidden = true;
  line.html = readableColours(ansi.ansi_to_html(text));
  return line;
}

/**
 * ansi_up's xterm palette has foreground colours that are unreadable on the log's dark panel
 * (#1f1e24): red, blue, magenta and (bright) black fall below WCAG AA's 4.5:1. Those become lighter
 * shades of the same hue, as GitLab's log palette does; backgrounds keep their colours.
 */
const READABLE: Record<string, string> = {
  "0,0,0": "150,150,150",
  "187,0,0": "255,107,107",
  "0,0,187": "110,140,255",
  "187,0,187": "224,108,224",
  "85,85,85": "150,150,150",
  "85,85,255": "130,150,255",
};
const readableColours = (html: string): string =>
  html.includes("color:rgb(")
    ? html.replace(/(^|[^-])color:rgb\((\d+,\d+,\d+)\)/g, (m, pre: string, rgb: string) =>
        READABLE[rgb] ? `${pre}color:rgb(${READABLE[rgb]})` : m,
      )
    : html;

/** `progress 10%\rprogress 50%\r\n` → `progress 50%`: what a terminal would finally show. */
function lastCarriageReturnSegment(text: string): string {
  if (!text.includes("\r")) return text;
  const segments = text.split("\r").filter((s) => s.length > 0);
  return segments[segments.length - 1] ?? "";
}
