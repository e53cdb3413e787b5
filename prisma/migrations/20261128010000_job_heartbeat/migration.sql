-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "heartbeat_at" TIMESTAMP(3);
