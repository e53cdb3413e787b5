/**
 * Admin CLI verbs. Each parses its flags, makes one core call and returns a JSON-able result; the
 * one-time secret values (token) appear in that result exactly once.
 */
import { parseArgs } from "node:util";
import {
  createPersonalAccessToken,
  createProject,
  createUser,
  garbageCollectRegistry,
  registerRunner,
} from "@minilab/core";
import type { Db, Visibility } from "@minilab/db";
import { CliError } from "./errors.ts";

type Handler = (db: Db, argv: string[]) => Promise<unknown>;

function flags<T extends Record<string, { type: "string" | "boolean" }>>(
  argv: string[],
  options: T,
  required: (keyof T & string)[],
) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  for (const r of required)
    if (values[r] === undefined || values[r] === "") throw new CliError(`--${r} is required`);
  return values;
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === "string" ? v : undefined);

async function findUser(db: Db, username: string) {
  const user = await db.user.findFirst({ where: { username: { equals: username, mode: "insensitive" } } });
  if (!user) throw new CliError(`no user named "${username}"`);
  return user;
}

const userCreate: Handler = async (db, argv) => {
  const f = flags(
    argv,
    {
      username: { type: "string" },
      password: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      admin: { type: "boolean" },
    },
    ["username", "password"],
  );
  const username = str(f["username"])!;
  const user = await createUser({
    db,
    username,
    email: str(f["email"]) ?? `${username}@localhost.localdomain`,
    password: str(f["password"])!,
    isAdmin: f["admin"] === true,
    ...(str(f["name"]) ? { name: str(f["name"])! } : {}),
  });
  return { id: user.id, username: user.username, email: user.email, name: user.name, isAdmin: user.isAdmin };
};

const tokenCreate: Handler = async (db, argv) => {
  const f = flags(argv, { user: { type: "string" }, scopes: { type: "string" }, name: { type: "string" } }, [
    "user",
    "scopes",
  ]);
  const user = await findUser(db, str(f["user"])!);
  const scopes = str(f["scopes"])!
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const { token, record } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name: str(f["name"]) ?? "cli",
    scopes,
  });
  return { id: record.id, name: record.name, user: user.username, scopes: record.scopes, token };
};

const VISIBILITIES = ["private", "internal", "public"];

const projectCreate: Handler = async (db, argv) => {
  const f = flags(
    argv,
    {
      owner: { type: "string" },
      name: { type: "string" },
      path: { type: "string" },
      visibility: { type: "string" },
    },
    ["owner", "name"],
  );
  const visibility = str(f["visibility"]) ?? "private";
  if (!VISIBILITIES.includes(visibility))
    throw new CliError(`--visibility must be one of ${VISIBILITIES.join(", ")}`);
  const owner = await findUser(db, str(f["owner"])!);
  const p = await createProject({
    db,
    owner,
    name: str(f["name"])!,
    visibility: visibility as Visibility,
    ...(str(f["path"]) ? { path: str(f["path"])! } : {}),
  });
  return { id: p.id, path: `${p.namespace}/${p.path}`, name: p.name, visibility: p.visibility };
};

const runnerCreate: Handler = async (db, argv) => {
  const f = flags(
    argv,
    { description: { type: "string" }, tags: { type: "string" }, "run-untagged": { type: "boolean" } },
    [],
  );
  const tags = (str(f["tags"]) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const { runner, token } = await registerRunner({
    db,
    description: str(f["description"]) ?? "",
    tags,
    runUntagged: tags.length === 0 || f["run-untagged"] === true,
  });
  return {
    id: runner.id,
    description: runner.description,
    tags: runner.tags,
    runUntagged: runner.runUntagged,
    token,
  };
};

const registryGc: Handler = async (db, argv) => {
  const f = flags(argv, { "grace-minutes": { type: "string" } }, []);
  const raw = str(f["grace-minutes"]);
  const minutes = raw === undefined ? 60 : Number(raw);
  if (!Number.isFinite(minutes) || minutes < 0) throw new CliError("--grace-minutes must be a number ≥ 0");
  return garbageCollectRegistry({ db, gracePeriodMs: minutes * 60_000 });
};

export const COMMANDS: Record<string, Handler> = {
  "user create": userCreate,
  "token create": tokenCreate,
  "project create": projectCreate,
  "runner create": runnerCreate,
  "registry gc": registryGc,
};

export const USAGE = `usage: npm run -s minilab -- <command> [flags]
  user create --username alice --password … [--email …] [--name …] [--admin]
  token create --user alice --scopes api,write_repository [--name …]
  project create --owner alice --name demo [--path …] [--visibility private|internal|public]
  runner create [--description …] [--tags a,b] [--run-untagged]
  registry gc [--grace-minutes 60]   (container registry garbage collection; run where MINILAB_DATA_DIR is)
The database is DATABASE_URL, else the one of a running \`npm start\`.`;
