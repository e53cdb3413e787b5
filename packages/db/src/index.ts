export { PrismaClient, Prisma } from "./generated/client.ts";
export type * from "./generated/models.ts";
export { JobStatus, PipelineStatus, Visibility } from "./generated/enums.ts";
export { createDb, getDb, closeDb, type Db } from "./client.ts";
