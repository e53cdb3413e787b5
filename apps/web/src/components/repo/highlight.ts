/**
 * Server-side syntax highlighting with Shiki (TextMate grammars, VS Code's colours), loading a
 * grammar the first time a file needs it. Oniguruma engine (WebAssembly shipped in the shiki
 * package, nothing downloaded).
 * Output is tokens, rendered as React elements — no HTML strings.
 */
import {
  bundledLanguagesInfo,
  createHighlighter,
  type BundledLanguage,
  type Highlighter,
  type ThemedToken,
} from "shiki";
import { createOnigurumaEngine } from "shiki/engine/oniguruma";

const THEME = "github-light";
/** Above these, highlighting costs more than it helps: render plain text. */
const MAX_CHARS = 300_000;
const MAX_LINES = 10_000;

let highlighter: Promise<Highlighter> | null = null;
const getHighlighter = (): Promise<Highlighter> =>
  (highlighter ??= createHighlighter({
    themes: [THEME],
    langs: [],
    engine: createOnigurumaEngine(import("shiki/wasm")),
  }));

const BY_NAME: Record<string, string> = {
  dockerfile: "docker",
  makefile: "make",
  "cmakelists.txt": "cmake",
  ".gitlab-ci.yml": "yaml",
  ".gitignore": "shellscript",
};

/** The Shiki language for a file name, by exact name, then extension, or null. */
export function languageFor(fileName: string): BundledLanguage | null {
  const lower = fileName.toLowerCase();
  const ids = new Map<string, string>();
  for (const l of bundledLanguagesInfo) {
    ids.set(l.id, l.id);
    for (const a of l.aliases ?? []) ids.set(a, l.id);
  }
  const named = BY_NAME[lower];
  if (named) return (ids.get(named) as BundledLanguage | undefined) ?? null;
  const ext = lower.includes(".") ? lower.slice(lower.lastIndexOf(".") + 1) : "";
  return (ids.get(ext) as BundledLanguage | undefined) ?? null;
}

export type Token = Pick<ThemedToken, "content" | "color" | "fontStyle">;

/** Lines of tokens for `code`; plain (uncoloured) tokens when the language is unknown or too big. */
export async function highlightLines(code: string, fileName: string): Promise<Token[][]> {
  const lines = code.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const lang = languageFor(fileName);
  if (!lang || code.length > MAX_CHARS || lines.length > MAX_LINES) {
    return lines.map((l) => [{ content: l }]);
  }
  const h = await getHighlighter();
  const text = lines.join("\n");
  if (!h.getLoadedLanguages().includes(lang)) {
    await h.loadLanguage(lang);
    // Shiki 4 quirk: the first tokenisation after loading a grammar ignores grammars it embeds
    // (a JSDoc comment in TypeScript swallowed the rest of the file). Tokenise once to settle it.
    h.codeToTokens(text, { lang, theme: THEME });
  }
  return h.codeToTokens(text, { lang, theme: THEME }).tokens;
}
