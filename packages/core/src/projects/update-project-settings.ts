import type { Db, Project, User, Visibility } from "@minilab/db";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS } from "./access-levels.ts";
import { assertManager } from "./assert-manager.ts";

export interface UpdateProjectSettingsOptions {
  db: Db;
  /** Must be maintainer+; changing visibility needs owner, as in GitLab. */
  actor: User | null;
  project: Project;
  name?: string;
  description?: string;
  visibility?: Visibility;
  /** Default job timeout in seconds (GitLab's `build_timeout`: 10 minutes to 1 month). */
  buildTimeout?: number;
  /** Separate caches for protected and unprotected refs (GitLab's `ci_separated_caches`). */
  ciSeparatedCaches?: boolean;
  /** GitLab's "Public pipelines" (`public_builds`): off = only members see pipelines, jobs and logs. */
  publicBuilds?: boolean;
}

const VISIBILITIES: readonly string[] = ["private", "internal", "public"];

export async function updateProjectSettings({
  db,
  actor,
  project,
  name,
  description,
  visibility,
  buildTimeout,
  ciSeparatedCaches,
  publicBuilds,
}: UpdateProjectSettingsOptions): Promise<Project> {
  const level = await assertManager(db, actor, project);
  const data: {
    name?: string;
    description?: string;
    visibility?: Visibility;
    buildTimeout?: number;
    ciSeparatedCaches?: boolean;
    publicBuilds?: boolean;
  } = {};
  if (ciSeparatedCaches !== undefined) data.ciSeparatedCaches = ciSeparatedCaches;
  if (publicBuilds !== undefined) data.publicBuilds = publicBuilds;
  if (buildTimeout !== undefined) {
    if (!Number.isSafeInteger(buildTimeout) || buildTimeout < 600 || buildTimeout > 2_629_746)
      throw new AppError(
        "invalid_input",
        "build_timeout must be between 10 minutes and 1 month (in seconds)",
        {
          field: "buildTimeout",
        },
      );
    data.buildTimeout = buildTimeout;
  }
  if (name !== undefined) {
    const n = name.trim();
    if (!n || n.length > 255)
      throw new AppError("invalid_input", "name must be 1 to 255 characters", { field: "name" });
    data.name = n;
  }
  if (description !== undefined) {
    if (description.length > 2000)
      throw new AppError("invalid_input", "description is too long", { field: "description" });
    data.description = description;
  }
  if (visibility !== undefined && visibility !== project.visibility) {
    if (!VISIBILITIES.includes(visibility))
      throw new AppError("invalid_input", "unknown visibility", { field: "visibility" });
    if (level < ACCESS_LEVELS.owner)
      throw new AppError("forbidden", "only owners can change the visibility", { field: "visibility" });
    data.visibility = visibility;
  }
  return db.project.update({ where: { id: project.id }, data });
}
