-- CreateTable
CREATE TABLE "registry_repositories" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_repositories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry_blobs" (
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_blobs_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "registry_repository_blobs" (
    "repository_id" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_repository_blobs_pkey" PRIMARY KEY ("repository_id","digest")
);

-- CreateTable
CREATE TABLE "registry_manifests" (
    "id" SERIAL NOT NULL,
    "repository_id" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "content_size" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_manifests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry_manifest_references" (
    "manifest_id" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "registry_manifest_references_pkey" PRIMARY KEY ("manifest_id","digest")
);

-- CreateTable
CREATE TABLE "registry_tags" (
    "id" SERIAL NOT NULL,
    "repository_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "manifest_id" INTEGER NOT NULL,
    "pushed_by_id" INTEGER,
    "pipeline_id" INTEGER,
    "job_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "registry_tags_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "registry_repositories_path_key" ON "registry_repositories"("path");

-- CreateIndex
CREATE INDEX "registry_repositories_project_id_idx" ON "registry_repositories"("project_id");

-- CreateIndex
CREATE INDEX "registry_repository_blobs_digest_idx" ON "registry_repository_blobs"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "registry_manifests_repository_id_digest_key" ON "registry_manifests"("repository_id", "digest");

-- CreateIndex
CREATE INDEX "registry_manifest_references_digest_idx" ON "registry_manifest_references"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "registry_tags_repository_id_name_key" ON "registry_tags"("repository_id", "name");

-- CreateIndex
CREATE INDEX "registry_tags_manifest_id_idx" ON "registry_tags"("manifest_id");

-- AddForeignKey
ALTER TABLE "registry_repositories" ADD CONSTRAINT "registry_repositories_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_repository_blobs" ADD CONSTRAINT "registry_repository_blobs_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "registry_repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_repository_blobs" ADD CONSTRAINT "registry_repository_blobs_digest_fkey" FOREIGN KEY ("digest") REFERENCES "registry_blobs"("digest") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_manifests" ADD CONSTRAINT "registry_manifests_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "registry_repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_manifest_references" ADD CONSTRAINT "registry_manifest_references_manifest_id_fkey" FOREIGN KEY ("manifest_id") REFERENCES "registry_manifests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_tags" ADD CONSTRAINT "registry_tags_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "registry_repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_tags" ADD CONSTRAINT "registry_tags_manifest_id_fkey" FOREIGN KEY ("manifest_id") REFERENCES "registry_manifests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
