import { describe, expect, it } from "vitest";
import type { User } from "@minilab/db";
import { ACCESS_LEVELS, NO_ACCESS } from "./access-levels.ts";
import { canReadBuilds, canReadPipelines, canReadProject } from "./permissions.ts";

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

  it("with Public pipelines off, keeps non-members of public/internal projects out of pipelines and logs", () => {
    const pub = { visibility: "public" as const, publicBuilds: false };
    const internal = { visibility: "internal" as const, publicBuilds: false };
    // The project itself stays visible.
    expect(canReadProject(null, pub, NO_ACCESS)).toBe(true);
    for (const p of [pub, internal]) {
      expect(canReadPipelines(user, p, NO_ACCESS)).toBe(false);
      expect(canReadBuilds(user, p, NO_ACCESS)).toBe(false);
      // Members see pipelines; logs need reporter+, as on a private project.
      expect(canReadPipelines(user, p, guest)).toBe(true);
      expect(canReadBuilds(user, p, guest)).toBe(false);
      expect(canReadBuilds(user, p, reporter)).toBe(true);
    }
    expect(canReadPipelines(null, pub, NO_ACCESS)).toBe(false);
    // On (the default), anyone who sees the project sees its pipelines.
    expect(canReadPipelines(null, { visibility: "public", publicBuilds: true }, NO_ACCESS)).toBe(true);
    expect(canReadPipelines(null, { visibility: "public" }, NO_ACCESS)).toBe(true);
    expect(canReadPipelines(user, { visibility: "private" }, NO_ACCESS)).toBe(false);
  });
});
