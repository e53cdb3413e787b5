-- Orchestration: DAG needs, retries, delayed jobs, resource groups, timeouts, passed-with-warnings.
-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "needs" JSONB,
ADD COLUMN "retried" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "scheduled_at" TIMESTAMP(3),
ADD COLUMN "resource_group" TEXT,
ADD COLUMN "timeout" INTEGER;

-- AlterTable
ALTER TABLE "pipelines" ADD COLUMN "warnings" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN "build_timeout" INTEGER NOT NULL DEFAULT 3600;

-- AlterTable
ALTER TABLE "runners" ADD COLUMN "maximum_timeout" INTEGER;

-- CreateIndex
CREATE INDEX "jobs_project_id_resource_group_idx" ON "jobs"("project_id", "resource_group");
