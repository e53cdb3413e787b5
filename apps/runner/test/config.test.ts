import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";

const base = {
  MINILAB_URL: "http://127.0.0.1:3000/",
  MINILAB_RUNNER_TOKEN: "t",
  REDIS_URL: "redis://127.0.0.1:6379",
};

describe("loadConfig", () => {
  it("applies defaults", () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      serverUrl: "http://127.0.0.1:3000",
      concurrency: 2,
      executor: "docker",
      networkMode: "bridge",
      defaultImage: "minilab/busybox:latest",
    });
    expect(c.buildsDir).toMatch(/minilab-builds$/);
  });

  it("names the variable that is missing or wrong", () => {
    expect(() => loadConfig({ ...base, MINILAB_RUNNER_TOKEN: "" })).toThrow(
      /MINILAB_RUNNER_TOKEN .*is required/,
    );
    expect(() => loadConfig({ ...base, REDIS_URL: undefined })).toThrow(/REDIS_URL .*is required/);
    expect(() => loadConfig({ ...base, MINILAB_RUNNER_CONCURRENCY: "zero" })).toThrow(
      /MINILAB_RUNNER_CONCURRENCY/,
    );
    expect(() => loadConfig({ ...base, MINILAB_RUNNER_EXECUTOR: "ssh" })).toThrow(/MINILAB_RUNNER_EXECUTOR/);
  });
});

describe("config file", () => {
  const file = (text: string) => () => loadConfig(base, ["--config", "/etc/r.toml"], () => text);

  it("reads a TOML file; environment variables override it", () => {
    const c = file(`
concurrent = 4
executor = "shell"
tags = ["docker", " linux"]
run_untagged = false
output_limit = 8
[docker]
memory = "512m"
pull_policy = "never"
docker_socket = true
`)();
    expect(c).toMatchObject({
      concurrency: 4,
      executor: "shell",
      tags: ["docker", "linux"],
      runUntagged: false,
      outputLimitBytes: 8192,
      docker: { memory: 512 * 1024 * 1024, pullPolicy: "never", dockerSocket: true },
    });
    const overridden = loadConfig(
      { ...base, MINILAB_RUNNER_CONCURRENCY: "3" },
      ["--config", "x"],
      () => "concurrent = 4",
    );
    expect(overridden.concurrency).toBe(3);
  });

  it("names the offending key", () => {
    expect(file("concurrent = 0")).toThrow(/\/etc\/r.toml: concurrent:/);
    expect(file("[docker]\npull_policy = 'sometimes'")).toThrow(/docker.pull_policy/);
    expect(file("[docker]\nmemroy = 1")).toThrow(/docker.memroy: unknown key/);
    expect(file("concurrent = ")).toThrow(/invalid TOML \(line 1/);
  });
});
