-- CreateTable
CREATE TABLE "project_members" (
    "project_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "access_level" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_members_pkey" PRIMARY KEY ("project_id","user_id")
);

-- CreateTable
CREATE TABLE "protected_branches" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "push_access_level" INTEGER NOT NULL DEFAULT 40,
    "merge_access_level" INTEGER NOT NULL DEFAULT 40,
    "allow_force_push" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "protected_branches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "push_events" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "user_id" INTEGER,
    "ref" TEXT NOT NULL,
    "old_sha" TEXT NOT NULL,
    "new_sha" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "push_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_redirects" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "namespace" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_redirects_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "project_members_user_id_idx" ON "project_members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "protected_branches_project_id_name_key" ON "protected_branches"("project_id", "name");

-- CreateIndex
CREATE INDEX "push_events_project_id_id_idx" ON "push_events"("project_id", "id");

-- CreateIndex
CREATE INDEX "project_redirects_project_id_idx" ON "project_redirects"("project_id");

-- CreateIndex
CREATE UNIQUE INDEX "project_redirects_namespace_path_key" ON "project_redirects"("namespace", "path");

-- AddForeignKey
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "protected_branches" ADD CONSTRAINT "protected_branches_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "push_events" ADD CONSTRAINT "push_events_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "push_events" ADD CONSTRAINT "push_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_redirects" ADD CONSTRAINT "project_redirects_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: every existing project's owner becomes an owner member, and its default branch is
-- protected (maintainers push), as project creation now does.
INSERT INTO "project_members" ("project_id", "user_id", "access_level")
SELECT "id", "owner_id", 50 FROM "projects";

INSERT INTO "protected_branches" ("project_id", "name")
SELECT "id", "default_branch" FROM "projects";
