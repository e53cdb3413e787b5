import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";

describe("parseConfig", () => {
  it("defaults to port 3000, .minilab in the repo and a localhost external URL", () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/\/\.minilab$/);
    expect(c.externalUrl).toBe("http://localhost:3000");
  });

  it.each([
    [{ PORT: "0" }, /PORT/],
    [{ PORT: "70000" }, /PORT/],
    [{ PORT: "3k" }, /PORT/],
    [{ EXTERNAL_URL: "ftp://x" }, /EXTERNAL_URL/],
    [{ EXTERNAL_URL: "not a url" }, /EXTERNAL_URL/],
    [{ DATABASE_URL: "mysql://x/y" }, /DATABASE_URL/],
    [{ REDIS_URL: "http://x" }, /REDIS_URL/],
    [{ DOCKER_HOST: "/var/run/docker.sock" }, /DOCKER_HOST/],
  ])("rejects %o naming the variable", (env, name) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(name);
  });

  it("accepts valid service URLs and strips a trailing slash from EXTERNAL_URL", () => {
    const c = parseConfig({
      PORT: "8080",
      EXTERNAL_URL: "https://ci.example.com/",
      DATABASE_URL: "postgresql://u:p@db:5432/minilab",
      REDIS_URL: "redis://cache:6379",
      DOCKER_HOST: "unix:///var/run/docker.sock",
    });
    expect(c).toMatchObject({
      port: 8080,
      externalUrl: "https://ci.example.com",
      dockerHost: "unix:///var/run/docker.sock",
    });
  });
});
