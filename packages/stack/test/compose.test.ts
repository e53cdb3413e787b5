/**
 * docker-compose.yml must stay a valid Compose file naming the four services. Validated by the real
 * Compose implementation (`docker compose` plugin, else the `docker-compose` package that
 * `npm test`'s bootstrap installs); neither needs a running engine for `config`.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function compose(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const plugin = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
  const [cmd, pre] = plugin.status === 0 ? ["docker", ["compose"]] : ["docker-compose", []];
  const r = spawnSync(cmd, [...pre, "-f", path.join(ROOT, "docker-compose.yml"), ...args], {
    encoding: "utf8",
    cwd: ROOT,
  });
  if (r.error)
    throw new Error(
      `neither \`docker compose\` nor \`docker-compose\` is installed (apt-get install docker-compose): ${r.error.message}`,
    );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("docker-compose.yml", () => {
  it("is valid", () => {
    const r = compose(["config", "-q"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("defines postgres, redis, web and runner", () => {
    const r = compose(["config", "--services"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual(["postgres", "redis", "runner", "web"]);
  });
});
