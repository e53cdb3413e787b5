-- Job controls: variables given when playing a manual job.
-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "job_variables" JSONB NOT NULL DEFAULT '[]';
