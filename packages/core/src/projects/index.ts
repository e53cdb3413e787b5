export { createProject, pathFromName, type CreateProjectOptions } from "./create-project.ts";
export { findProject, type FindProjectOptions } from "./find-project.ts";
export { listProjectsForUser, type ListProjectsForUserOptions } from "./list-projects-for-user.ts";
export { canReadProject, canWriteProject, assertCanRead, assertCanWrite } from "./permissions.ts";
