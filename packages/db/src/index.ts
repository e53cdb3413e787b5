export { PrismaClient, Prisma } from "./generated/client.ts";
export type * from "./generated/models.ts";
export type {
  User,
  Session,
  PersonalAccessToken,
  Project,
  Pipeline,
  Job,
  JobLogChunk,
  Runner,
  ProjectMember,
  ProtectedBranch,
  PushEvent,
  ProjectRedirect,
  ProjectVariable,
  PipelineTrigger,
  PipelineSchedule,
  ProjectHook,
  HookDelivery,
  ApplicationSetting,
  JobArtifact,
} from "./generated/client.ts";
export { JobStatus, PipelineStatus, Visibility } from "./generated/enums.ts";
export { createDb, getDb, closeDb, type Db } from "./client.ts";
