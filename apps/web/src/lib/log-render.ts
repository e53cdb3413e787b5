/* eslint-disable no-control-regex -- ANSI escape sequences are the input this module parses. */
/**
 * Turns raw job log text into HTML lines, GitLab style: ANSI colours via ansi_up (which escapes
 * HTML), section markers (`\e[0Ksection_start:<ts>:<name>[opts]\r\e[0K<header>`) turned into
 * header lines, section ends hidden, and carriage-return progress lines collapsed to their last state.
 *
 * Streaming: text is pushed in arbitrary chunks. Complete lines go through one stateful AnsiUp (so
 * colours carry across lines); the trailing partial line is rendered separately with a throwaway
 * converter and re-rendered as more of it arrives.
 */
import { AnsiUp } from "ansi_up";

export interface LogLine {
  html: string;
  /** Section header (bold, like GitLab's collapsible section titles). */
  section: boolean;
}

const SECTION_START = /\x1b\[0Ksection_start:\d+:[^\r\n[]+(?:\[[^\]\r\n]*\])?\r\x1b\[0K/;
const SECTION_END = /\x1b\[0Ksection_end:\d+:[^\r\n]*?\r\x1b\[0K/g;

function converter(): AnsiUp {
  const a = new AnsiUp();
  a.escape_html = true;
  a.use_classes = false;
  return a;
}

export class LogRenderer {
  private readonly ansi = converter();
  private partial = "";
  readonly lines: LogLine[] = [];

  /** Adds text; returns the number of complete lines added. */
  push(text: string): number {
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop() ?? "";
    let added = 0;
    for (const raw of parts) {
      const line = this.renderLine(raw, this.ansi);
      if (line) {
        this.lines.push(line);
        added++;
      }
    }
    return added;
  }

  /** The unfinished last line, rendered without disturbing the colour state of complete lines. */
  partialLine(): LogLine | null {
    if (!this.partial) return null;
    const line = this.renderLine(this.partial, converter());
    // A dangling escape sequence (e.g. the colour reset after the last newline) is not a line.
    return line && line.html !== "" ? line : null;
  }

  private renderLine(raw: string, ansi: AnsiUp): LogLine | null {
    let text = raw;
    const hadEnd = SECTION_END.test(text);
    SECTION_END.lastIndex = 0;
    text = text.replace(SECTION_END, "");
    const section = SECTION_START.test(text);
    if (section) text = text.replace(SECTION_START, "");
    // A line that only closed a section is not shown (GitLab hides it too).
    if (hadEnd && text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trim() === "") return null;
    text = lastCarriageReturnSegment(text);
    return { html: ansi.ansi_to_html(text), section };
  }
}

/** `progress 10%\rprogress 50%\r\n` → `progress 50%`: what a terminal would finally show. */
function lastCarriageReturnSegment(text: string): string {
  if (!text.includes("\r")) return text;
  const segments = text.split("\r").filter((s) => s.length > 0);
  return segments[segments.length - 1] ?? "";
}
