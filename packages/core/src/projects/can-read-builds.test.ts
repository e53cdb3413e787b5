import { describe, expect, it } from "vitest";
import type { User } from "@minilab/db";
import { ACCESS_LEVELS, NO_ACCESS } from "./access-levels.ts";
import { canReadBuilds, canReadProject } from "./permissions.ts";

const user = { id: 1 } as User;
const { guest, reporter, developer } = ACCESS_LEVELS;

describe("canReadBuilds (GitLab's read_build)", () => {
  it("needs reporter+ on a private project, though guests still see the project", () => {
    const p = { visibility: "private" as const };
    expect(canReadProject(user, p, guest)).toBe(true);
    expect(canReadBuilds(user, p, guest)).toBe(false);
    expect(canReadBuilds(user, p, NO_ACCESS)).toBe(false);
    expect(canReadBuilds(null, p, NO_ACCESS)).toBe(false);
    expect(canReadBuilds(user, p, reporter)).toBe(true);
    expect(canReadBuilds(user, p, developer)).toBe(true);
  });

  it("follows project visibility on public and internal projects (public pipelines)", () => {
    expect(canReadBuilds(null, { visibility: "public" }, NO_ACCESS)).toBe(true);
    expect(canReadBuilds(user, { visibility: "public" }, guest)).toBe(true);
    expect(canReadBuilds(user, { visibility: "internal" }, NO_ACCESS)).toBe(true);
    expect(canReadBuilds(null, { visibility: "internal" }, NO_ACCESS)).toBe(false);
  });
});
