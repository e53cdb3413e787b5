import { listProjectBranches, listProjectTags } from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";

/** Branch and tag names for the form's suggestions (empty for an empty repository). */
export async function refNames(project: Project, user: User | null): Promise<string[]> {
  try {
    const opts = { db: getDb(), user, project };
    const [branches, tags] = await Promise.all([listProjectBranches(opts), listProjectTags(opts)]);
    return [...branches.map((b) => b.name), ...tags.map((t) => t.name)];
  } catch {
    return [];
  }
}

export const timeZones = (): string[] => {
  const zones =
    (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return ["UTC", ...zones.filter((z) => z !== "UTC")];
};
