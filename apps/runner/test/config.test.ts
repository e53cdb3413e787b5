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
      "MINILAB_RUNNER_TOKEN is required",
    );
    expect(() => loadConfig({ ...base, REDIS_URL: undefined })).toThrow("REDIS_URL is required");
    expect(() => loadConfig({ ...base, MINILAB_RUNNER_CONCURRENCY: "zero" })).toThrow(
      /MINILAB_RUNNER_CONCURRENCY/,
    );
    expect(() => loadConfig({ ...base, MINILAB_RUNNER_EXECUTOR: "shell" })).toThrow(
      /MINILAB_RUNNER_EXECUTOR/,
    );
  });
});
