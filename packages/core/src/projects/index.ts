export { createProject, pathFromName, type CreateProjectOptions } from "./create-project.ts";
export { findProject, type FindProjectOptions } from "./find-project.ts";
export { findProjectRedirect, type FindProjectRedirectOptions } from "./find-project-redirect.ts";
export { listProjectsForUser, type ListProjectsForUserOptions } from "./list-projects-for-user.ts";
export {
  ACCESS_LEVELS,
  NO_ACCESS,
  isAccessLevel,
  accessLevelName,
  type AccessLevel,
  type AccessLevelName,
} from "./access-levels.ts";
export {
  canReadProject,
  canReadRepository,
  canReadBuilds,
  canReadPipelines,
  canPushCode,
  canManageProject,
  assertCanRead,
  assertCanManage,
} from "./permissions.ts";
export { accessLevelFor, type AccessLevelForOptions } from "./access-level-for.ts";
export { pipelineReadableProjectIds } from "./pipeline-readable-projects.ts";
export { addProjectMember, type AddProjectMemberOptions } from "./add-project-member.ts";
export { updateProjectMember, type UpdateProjectMemberOptions } from "./update-project-member.ts";
export { removeProjectMember, type RemoveProjectMemberOptions } from "./remove-project-member.ts";
export {
  listProjectMembers,
  type ListProjectMembersOptions,
  type ProjectMemberInfo,
} from "./list-project-members.ts";
export { protectBranch, isValidBranchPattern, type ProtectBranchOptions } from "./protect-branch.ts";
export { unprotectBranch, type UnprotectBranchOptions } from "./unprotect-branch.ts";
export { listProtectedBranches, type ListProtectedBranchesOptions } from "./list-protected-branches.ts";
export { pushPolicyFor, type PushPolicyForOptions } from "./push-policy-for.ts";
export { canPushToBranch, type CanPushToBranchOptions, type PushDecision } from "./can-push-to-branch.ts";
export { recordPush, type RecordPushOptions, type RecordPushResult } from "./record-push.ts";
export { updateProjectSettings, type UpdateProjectSettingsOptions } from "./update-project-settings.ts";
export { renameProject, type RenameProjectOptions } from "./rename-project.ts";
export { setDefaultBranch, type SetDefaultBranchOptions } from "./set-default-branch.ts";
