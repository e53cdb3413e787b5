/**
 * Setup the push benches share (push-to-pipeline, dispatch): required environment, percentiles, a
 * user with a write_repository token and a project to push to, the project's status events
 * timestamped on arrival (the same clock as the push timings), and a git work tree.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { StatusEvent } from "@minilab/contracts";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";
import type { Db, Project, User } from "@minilab/db";
import { liveChannels, subscribe } from "@minilab/queue";

export const run = promisify(execFile);

/** An environment variable `npm run bench` sets. */
export function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through \`npm run bench\``);
  return v;
}

/** The p-th percentile (nearest rank) of `xs`. */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** User `<name>-<suffix>`, a write_repository token and project `<name>`; `remote` carries the token. */
export async function benchProject(
  db: Db,
  webUrl: string,
  name: string,
  suffix: string,
): Promise<{ user: User; project: Project; remote: URL }> {
  const user = await createUser({
    db,
    username: `${name}-${suffix}`,
    email: `${name}-${suffix}@example.com`,
    password: "bench-password",
  });
  const { token } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name,
    scopes: ["write_repository"],
  });
  const project = await createProject({ db, owner: user, name });
  const remote = new URL(`/${project.namespace}/${project.path}.git`, webUrl);
  remote.username = user.username;
  remote.password = token;
  return { user, project, remote };
}

export interface StatusEvents {
  /** Every event so far, with its arrival time (`performance.now()`). */
  events: { at: number; e: StatusEvent }[];
  /** The arrival time of the first event since `since` that matches; throws after the timeout. */
  waitFor: (pred: (e: StatusEvent) => boolean, since: number) => Promise<number>;
  unsubscribe: () => Promise<void>;
}

/** The project's status events, from now on; `waitFor` gives up after `timeoutMs`. */
export async function statusEvents(
  redisUrl: string,
  projectId: number,
  timeoutMs = 120_000,
): Promise<StatusEvents> {
  const events: StatusEvents["events"] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = await subscribe(redisUrl, liveChannels().projectStatus(projectId), (msg) => {
    events.push({ at: performance.now(), e: StatusEvent.parse(JSON.parse(msg)) });
    wake?.();
  });
  const waitFor = async (pred: (e: StatusEvent) => boolean, since: number): Promise<number> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = events.find((x) => x.at >= since && pred(x.e));
      if (hit) return hit.at;
      if (performance.now() > deadline) throw new Error("timed out waiting for a status event");
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  };
  return { events, waitFor, unsubscribe };
}

/** An empty repository on branch main in a temp folder, and `git` run in it as author "b". */
export async function gitWorkTree(
  prefix: string,
): Promise<{ work: string; git: (...args: string[]) => Promise<unknown> }> {
  const work = await mkdtemp(path.join(tmpdir(), prefix));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "b",
    GIT_AUTHOR_EMAIL: "b@x",
    GIT_COMMITTER_NAME: "b",
    GIT_COMMITTER_EMAIL: "b@x",
  };
  const git = (...args: string[]) => run("git", args, { cwd: work, env });
  await git("init", "-q", "-b", "main");
  return { work, git };
}
