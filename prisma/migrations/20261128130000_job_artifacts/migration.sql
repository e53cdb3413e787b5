-- CreateTable
CREATE TABLE "job_artifacts" (
    "id" SERIAL NOT NULL,
    "job_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "file_type" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_path" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "variables" JSONB,
    "expire_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "job_artifacts_job_id_file_type_key" ON "job_artifacts"("job_id", "file_type");

-- CreateIndex
CREATE INDEX "job_artifacts_project_id_idx" ON "job_artifacts"("project_id");

-- CreateIndex
CREATE INDEX "job_artifacts_expire_at_idx" ON "job_artifacts"("expire_at");

-- AddForeignKey
ALTER TABLE "job_artifacts" ADD CONSTRAINT "job_artifacts_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
