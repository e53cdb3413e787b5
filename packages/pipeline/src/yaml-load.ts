/**
 * YAML text → plain JS value, with anchors, merge keys (`<<:`) and the `!reference` tag. Keeps each
 * document's positions so problems can carry line:column.
 */
import { LineCounter, isNode, parseDocument, type Document, type CollectionTag } from "yaml";
import type { Locate } from "./problems.ts";

/** GitLab's limit on the size of a CI configuration. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
/** Aliases expanded per document; stops "billion laughs" files. */
const MAX_ALIASES = 1000;

/** A `!reference [.job, key, …]` left in place by the loader and resolved after includes. */
export class Reference {
  constructor(readonly path: unknown[]) {}
}

const referenceTag: CollectionTag = {
  tag: "!reference",
  collection: "seq",
  identify: (v: unknown) => v instanceof Reference,
  resolve: (seq: unknown) => {
    const items = (seq as { toJSON(): unknown }).toJSON();
    // A non-node result is wrapped in a scalar by the composer; toJS() then yields the Reference.
    return new Reference(Array.isArray(items) ? items : []);
  },
};

export type Loaded =
  | { ok: true; value: unknown; locate: Locate }
  | { ok: false; error: string; line: number | null; column: number | null };

export function loadYaml(text: string, file: string): Loaded {
  if (utf8Length(text) > MAX_CONFIG_BYTES)
    return { ok: false, error: `${file}: config too large (over 2 MB)`, line: null, column: null };
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { merge: true, customTags: [referenceTag], lineCounter, uniqueKeys: false });
  } catch (e) {
    return { ok: false, error: `(${file}): ${firstLine(e)}`, line: null, column: null };
  }
  const err = doc.errors[0];
  if (err?.code === "MULTIPLE_DOCS" && /^spec:/m.test(text)) {
    const error = "spec: header (CI/CD inputs) is not supported yet";
    return { ok: false, error, line: 1, column: 1 };
  }
  if (err) {
    const pos = err.linePos?.[0];
    return {
      ok: false,
      error: `(${file}): ${firstLine(err)}`,
      line: pos?.line ?? null,
      column: pos?.col ?? null,
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return { ok: false, error: `(${file}): ${firstLine(e)}`, line: null, column: null };
  }
  if (isCircular(value)) {
    return {
      ok: false,
      error: `(${file}): an alias refers to the node that contains it`,
      line: null,
      column: null,
    };
  }
  const locate: Locate = (path) => {
    const node: unknown = doc.getIn(path, true);
    if (!isNode(node) || !node.range) return null;
    const { line, col } = lineCounter.linePos(node.range[0]);
    return { file, line, column: col };
  };
  return { ok: true, value, locate };
}

/** An anchor aliased inside itself makes toJS() return a cyclic graph; later walks would never end. */
function isCircular(root: unknown): boolean {
  const open = new Set<object>();
  const done = new Set<object>();
  const walk = (v: unknown): boolean => {
    if (typeof v !== "object" || v === null || done.has(v)) return false;
    if (open.has(v)) return true;
    open.add(v);
    const children = v instanceof Reference ? v.path : Array.isArray(v) ? v : Object.values(v);
    const found = children.some(walk);
    open.delete(v);
    done.add(v);
    return found;
  };
  return walk(root);
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // The yaml library ends its first line with ":" before a code excerpt we do not repeat.
  return (message.split("\n")[0] ?? message).trim().replace(/:$/, "");
}

function utf8Length(text: string): number {
  // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= MAX_CONFIG_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}
