import { Prisma, type Db, type Project, type ProtectedBranch, type User } from "@minilab/db";
import { isValidRefName } from "@minilab/git";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS, NO_ACCESS, isAccessLevel } from "./access-levels.ts";
import { assertManager } from "./assert-manager.ts";

export interface ProtectBranchOptions {
  db: Db;
  /** Must be maintainer+. */
  actor: User | null;
  project: Project;
  /** Branch name or pattern; `*` matches any characters (`release/*`). */
  name: string;
  /** Minimum level that may push; 0 = no one. @defaultValue 40 (maintainers) */
  pushAccessLevel?: number;
  /** @defaultValue 40 (maintainers) */
  mergeAccessLevel?: number;
  /** @defaultValue false */
  allowForcePush?: boolean;
}

/** A valid branch name once each `*` is read as a plain character. */
export function isValidBranchPattern(name: string): boolean {
  return name.length <= 255 && isValidRefName(name.replace(/\*/g, "x"));
}

const checkLevel = (field: string, n: number): void => {
  if (n !== NO_ACCESS && (!isAccessLevel(n) || n < ACCESS_LEVELS.developer))
    throw new AppError("invalid_input", `${field} must be 0 (no one), 30, 40 or 50`, { field });
};

export async function protectBranch({
  db,
  actor,
  project,
  name,
  pushAccessLevel = ACCESS_LEVELS.maintainer,
  mergeAccessLevel = ACCESS_LEVELS.maintainer,
  allowForcePush = false,
}: ProtectBranchOptions): Promise<ProtectedBranch> {
  await assertManager(db, actor, project);
  const pattern = name.trim();
  if (!isValidBranchPattern(pattern))
    throw new AppError("invalid_input", "not a valid branch name or pattern", { field: "name" });
  checkLevel("pushAccessLevel", pushAccessLevel);
  checkLevel("mergeAccessLevel", mergeAccessLevel);
  try {
    return await db.protectedBranch.create({
      data: { projectId: project.id, name: pattern, pushAccessLevel, mergeAccessLevel, allowForcePush },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new AppError("conflict", `${pattern} is already protected`, { field: "name" });
    throw e;
  }
}
