/**
 * GitLab's CI/CD variable expressions (`rules:if`, `only:variables`):
 *
 *   expr    := and ("||" and)*          — `&&` binds tighter than `||`, as GitLab
 *   and     := cmp ("&&" cmp)*
 *   cmp     := operand (("==" | "!=" | "=~" | "!~") operand)?
 *   operand := $VAR | ${VAR} | "str" | 'str' | /re/flags | null | "(" expr ")"
 *
 * A lone variable is true when defined and non-empty. Undefined variables are null. `=~` takes a
 * regex literal or a variable holding `/re/flags`; the pattern matches anywhere in the value.
 */
export type Expr =
  | { kind: "var"; name: string }
  | { kind: "str"; value: string }
  | { kind: "re"; source: string; flags: string }
  | { kind: "null" }
  | { kind: "cmp"; op: "==" | "!=" | "=~" | "!~"; left: Expr; right: Expr }
  | { kind: "and" | "or"; left: Expr; right: Expr };

type Token = { t: "op"; v: string } | { t: "val"; e: Expr };

const TOKEN =
  /\s*(?:(\$\{?)([A-Za-z_][A-Za-z0-9_]*)(\}?)|"([^"]*)"|'([^']*)'|\/((?:\\.|[^/\\])*)\/([a-z]*)|(null)\b|(==|!=|=~|!~|&&|\|\||\(|\)))/y;

function lex(text: string): Token[] | null {
  const out: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) return null;
    pos = TOKEN.lastIndex;
    if (m[2] !== undefined) {
      if ((m[1] === "${") !== (m[3] === "}")) return null;
      out.push({ t: "val", e: { kind: "var", name: m[2] } });
    } else if (m[4] !== undefined) out.push({ t: "val", e: { kind: "str", value: m[4] } });
    else if (m[5] !== undefined) out.push({ t: "val", e: { kind: "str", value: m[5] } });
    else if (m[6] !== undefined && !toRegExp(m[6], m[7] ?? "")) return null;
    else if (m[6] !== undefined) out.push({ t: "val", e: { kind: "re", source: m[6], flags: m[7] ?? "" } });
    else if (m[8] !== undefined) out.push({ t: "val", e: { kind: "null" } });
    else if (m[9] !== undefined) out.push({ t: "op", v: m[9] });
  }
  return out;
}

/** Parses an expression; null when it is not valid syntax. */
export function parseExpression(text: string): Expr | null {
  const tokens = lex(text);
  if (!tokens || tokens.length === 0) return null;
  let i = 0;
  const peekOp = (): string | null => {
    const t = tokens[i];
    return t?.t === "op" ? t.v : null;
  };
  const operand = (depth: number): Expr | null => {
    const t = tokens[i];
    if (!t) return null;
    if (t.t === "val") {
      i++;
      return t.e;
    }
    if (t.v !== "(" || depth > 50) return null;
    i++;
    const inner = or(depth + 1);
    if (!inner || peekOp() !== ")") return null;
    i++;
    return inner;
  };
  const cmp = (depth: number): Expr | null => {
    const left = operand(depth);
    const op = peekOp();
    if (!left || (op !== "==" && op !== "!=" && op !== "=~" && op !== "!~")) return left;
    i++;
    const right = operand(depth);
    return right ? { kind: "cmp", op, left, right } : null;
  };
  const chain = (kind: "and" | "or", sym: string, next: (d: number) => Expr | null) => (depth: number) => {
    let left = next(depth);
    while (left && peekOp() === sym) {
      i++;
      const right = next(depth);
      left = right ? { kind, left, right } : null;
    }
    return left;
  };
  const and = chain("and", "&&", cmp);
  const or = chain("or", "||", and);
  const expr = or(0);
  return expr && i === tokens.length ? expr : null;
}

type Value = string | null | RegExp | boolean;

/** Evaluates a parsed expression against `vars` (undefined names are null). */
export function evaluate(expr: Expr, vars: Readonly<Record<string, string>>): boolean {
  return truthy(value(expr, vars));
}

function value(e: Expr, vars: Readonly<Record<string, string>>): Value {
  switch (e.kind) {
    case "var":
      return Object.hasOwn(vars, e.name) ? (vars[e.name] ?? null) : null;
    case "str":
      return e.value;
    case "null":
      return null;
    case "re":
      return toRegExp(e.source, e.flags);
    case "and":
      return truthy(value(e.left, vars)) && truthy(value(e.right, vars));
    case "or":
      return truthy(value(e.left, vars)) || truthy(value(e.right, vars));
    case "cmp": {
      const l = value(e.left, vars);
      const r = value(e.right, vars);
      if (e.op === "==" || e.op === "!=") return equal(l, r) === (e.op === "==");
      return matches(l, r) === (e.op === "=~");
    }
  }
}

const truthy = (v: Value): boolean => (typeof v === "string" ? v !== "" : v instanceof RegExp || v === true);

function equal(l: Value, r: Value): boolean {
  if (l instanceof RegExp || r instanceof RegExp) return String(l) === String(r);
  return l === r;
}

function matches(l: Value, r: Value): boolean {
  let re = r instanceof RegExp ? r : null;
  // A variable holding `/pattern/flags` is a pattern (variable-to-variable matching).
  if (typeof r === "string") {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(r);
    if (m) re = toRegExp(m[1] ?? "", m[2] ?? "");
  }
  if (!re || typeof l !== "string") return false;
  return re.test(l);
}

function toRegExp(source: string, flags: string): RegExp | null {
  // Ruby/RE2 flags GitLab accepts: i, m (dot matches newline there → `s` here), x is not supported.
  const js = [...new Set(flags.split(""))].map((f) => (f === "m" ? "s" : f)).filter((f) => "is".includes(f));
  try {
    return new RegExp(source.replace(/\\\//g, "/"), js.join(""));
  } catch {
    return null;
  }
}
