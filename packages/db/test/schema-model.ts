/**
 * The database shape schema.prisma implies, and the shape a live database has, in one comparable
 * form. Only what Prisma maps to DDL is modelled: tables, scalar columns (type, nullability, whether a
 * default exists), enums, primary keys, unique constraints and indexes. Relation fields are skipped:
 * their foreign-key columns are ordinary scalar fields.
 */
import type pg from "pg";

export interface Column {
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

export interface Table {
  columns: Record<string, Column>;
  primaryKey: string[];
  /** Index name → `unique|index:col1,col2`. */
  indexes: Record<string, string>;
}

export interface DbShape {
  tables: Record<string, Table>;
  enums: Record<string, string[]>;
}

const SCALARS: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp(3)",
  Json: "jsonb",
  Bytes: "bytea",
  Float: "double precision",
  Decimal: "numeric(65,30)",
};

const mapArg = (attrs: string, attr: string): string | undefined =>
  new RegExp(`${attr}\\(\\s*"([^"]+)"\\s*\\)`).exec(attrs)?.[1];

const listArg = (s: string): string[] =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses the subset of the Prisma schema language minilab uses; unknown field types fail loudly. */
export function expectedShape(schema: string): DbShape {
  const text = schema.replace(/\/\/.*$/gm, "");
  // Blocks close on a line holding only `}`: bodies may contain braces, e.g. `@default("{}")`.
  const blocks = [...text.matchAll(/^\s*(model|enum)\s+(\w+)\s*\{\n([\s\S]*?)^\s*\}\s*$/gm)];
  const enums: Record<string, string[]> = {};
  const modelNames = new Set<string>();
  for (const [, kind, name, body] of blocks) {
    if (kind === "enum")
      enums[name!] = body!
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^\w+$/.test(l));
    else modelNames.add(name!);
  }
  const tables: Record<string, Table> = {};
  for (const [, kind, modelName = "", body = ""] of blocks) {
    if (kind !== "model") continue;
    const lines = body
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const tableName = lines.map((l) => /^@@map\(\s*"([^"]+)"\s*\)/.exec(l)?.[1]).find(Boolean) ?? modelName;
    const table: Table = { columns: {}, primaryKey: [], indexes: {} };
    const columnOf = new Map<string, string>();
    for (const line of lines) {
      const m = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!m || line.startsWith("@@")) continue;
      const [, field, type, list, optional, attrs = ""] = m;
      if (modelNames.has(type!) || attrs.includes("@relation")) continue;
      const sqlType = SCALARS[type!] ?? (enums[type!] ? type! : undefined);
      if (!sqlType) throw new Error(`schema.prisma: ${modelName}.${field} has unsupported type ${type}`);
      const column = mapArg(attrs, "@map") ?? field!;
      columnOf.set(field!, column);
      table.columns[column] = {
        type: list ? `${sqlType}[]` : sqlType,
        // Prisma creates scalar-list columns without NOT NULL.
        nullable: Boolean(optional) || Boolean(list),
        hasDefault: /@default\(/.test(attrs),
      };
      if (/@id\b/.test(attrs)) table.primaryKey = [column];
      if (/@unique\b/.test(attrs)) table.indexes[`${tableName}_${column}_key`] = `unique:${column}`;
    }
    for (const line of lines) {
      const m = /^@@(id|unique|index)\(\s*\[([^\]]*)\]/.exec(line);
      if (!m) continue;
      const cols = listArg(m[2]!).map((f) => columnOf.get(f) ?? `<unknown field ${f}>`);
      if (m[1] === "id") table.primaryKey = cols;
      else if (m[1] === "unique")
        table.indexes[`${tableName}_${cols.join("_")}_key`] = `unique:${cols.join(",")}`;
      else table.indexes[`${tableName}_${cols.join("_")}_idx`] = `index:${cols.join(",")}`;
    }
    tables[tableName] = table;
  }
  return { tables, enums };
}

export async function actualShape(client: pg.Client): Promise<DbShape> {
  const tables: Record<string, Table> = {};
  const cols = await client.query<{
    table_name: string;
    column_name: string;
    type: string;
    nullable: boolean;
    has_default: boolean;
  }>(`
    SELECT c.relname AS table_name, a.attname AS column_name,
           format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, a.atthasdef AS has_default
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relname <> '_prisma_migrations'
    ORDER BY c.relname, a.attnum`);
  for (const r of cols.rows) {
    const table = (tables[r.table_name] ??= { columns: {}, primaryKey: [], indexes: {} });
    const type = r.type
      .replace(/^timestamp\(3\) without time zone/, "timestamp(3)")
      .replace(/^"(.*)"$/, "$1");
    table.columns[r.column_name] = { type, nullable: r.nullable, hasDefault: r.has_default };
  }
  const idx = await client.query<{
    table_name: string;
    index_name: string;
    is_unique: boolean;
    is_primary: boolean;
    columns: string[];
  }>(`
    SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS is_unique, x.indisprimary AS is_primary,
           array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
  for (const r of idx.rows) {
    const table = tables[r.table_name];
    if (!table) continue;
    if (r.is_primary) table.primaryKey = r.columns;
    else table.indexes[r.index_name] = `${r.is_unique ? "unique" : "index"}:${r.columns.join(",")}`;
  }
  const en = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  const enums = Object.fromEntries(en.rows.map((r) => [r.name, r.values]));
  return { tables, enums };
}

/** Human-readable differences; empty when the database matches the schema. */
export function diffShapes(expected: DbShape, actual: DbShape): string[] {
  const out: string[] = [];
  const keys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of keys(expected.enums, actual.enums)) {
    const e = expected.enums[name],
      a = actual.enums[name];
    if (!e) out.push(`enum ${name}: in database only`);
    else if (!a) out.push(`enum ${name}: missing in database`);
    else if (e.join(",") !== a.join(","))
      out.push(`enum ${name}: values [${e.join(",")}] in schema, [${a.join(",")}] in database`);
  }
  for (const name of keys(expected.tables, actual.tables)) {
    const e = expected.tables[name],
      a = actual.tables[name];
    if (!e) {
      out.push(`table ${name}: in database only`);
      continue;
    }
    if (!a) {
      out.push(`table ${name}: missing in database`);
      continue;
    }
    for (const col of keys(e.columns, a.columns)) {
      const ec = e.columns[col],
        ac = a.columns[col];
      if (!ec) out.push(`${name}.${col}: column in database only`);
      else if (!ac) out.push(`${name}.${col}: column missing in database`);
      else
        for (const k of ["type", "nullable", "hasDefault"] as const)
          if (ec[k] !== ac[k])
            out.push(`${name}.${col}: ${k} ${String(ec[k])} in schema, ${String(ac[k])} in database`);
    }
    if (e.primaryKey.join(",") !== a.primaryKey.join(","))
      out.push(
        `${name}: primary key (${e.primaryKey.join(",")}) in schema, (${a.primaryKey.join(",")}) in database`,
      );
    for (const ix of keys(e.indexes, a.indexes))
      if (e.indexes[ix] !== a.indexes[ix])
        out.push(
          `${name}: index ${ix} is ${e.indexes[ix] ?? "absent"} in schema, ${a.indexes[ix] ?? "absent"} in database`,
        );
  }
  return out;
}
