-- Pipeline file variables (API/web `variable_type: file`), GitLab's "Public pipelines" setting, and
-- the web app's liveness row the reconciler reads (a web outage is not runner silence).
-- AlterTable
ALTER TABLE "pipelines" ADD COLUMN "file_variables" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "projects" ADD COLUMN "public_builds" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "web_liveness" (
    "id" INTEGER NOT NULL,
    "up_since" TIMESTAMP(3) NOT NULL,
    "seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "web_liveness_pkey" PRIMARY KEY ("id")
);
