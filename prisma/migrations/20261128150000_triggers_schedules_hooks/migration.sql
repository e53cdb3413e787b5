-- CreateTable
CREATE TABLE "pipeline_triggers" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "owner_id" INTEGER,
    "description" TEXT NOT NULL DEFAULT '',
    "token_hash" TEXT NOT NULL,
    "token_prefix" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pipeline_triggers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pipeline_schedules" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "owner_id" INTEGER,
    "description" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "cron_timezone" TEXT NOT NULL DEFAULT 'UTC',
    "ref" TEXT NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "next_run_at" TIMESTAMP(3),
    "last_pipeline_id" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pipeline_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_hooks" (
    "id" SERIAL NOT NULL,
    "uuid" TEXT NOT NULL,
    "project_id" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "token" TEXT NOT NULL DEFAULT '',
    "push_events" BOOLEAN NOT NULL DEFAULT true,
    "tag_push_events" BOOLEAN NOT NULL DEFAULT false,
    "pipeline_events" BOOLEAN NOT NULL DEFAULT false,
    "job_events" BOOLEAN NOT NULL DEFAULT false,
    "enable_ssl_verification" BOOLEAN NOT NULL DEFAULT true,
    "recent_failures" INTEGER NOT NULL DEFAULT 0,
    "alert_status" TEXT NOT NULL DEFAULT 'executable',
    "disabled_until" TIMESTAMP(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "project_hooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hook_deliveries" (
    "id" TEXT NOT NULL,
    "hook_id" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "event_uuid" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "request_headers" JSONB NOT NULL,
    "request_body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "attempt_log" JSONB NOT NULL DEFAULT '[]',
    "response_status" INTEGER,
    "response_headers" JSONB,
    "response_body" TEXT,
    "error" TEXT,
    "duration_ms" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "hook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "allow_local_requests_from_web_hooks" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "application_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_triggers_token_hash_key" ON "pipeline_triggers"("token_hash");

-- CreateIndex
CREATE INDEX "pipeline_triggers_project_id_idx" ON "pipeline_triggers"("project_id");

-- CreateIndex
CREATE INDEX "pipeline_schedules_project_id_idx" ON "pipeline_schedules"("project_id");

-- CreateIndex
CREATE INDEX "pipeline_schedules_active_next_run_at_idx" ON "pipeline_schedules"("active", "next_run_at");

-- CreateIndex
CREATE UNIQUE INDEX "project_hooks_uuid_key" ON "project_hooks"("uuid");

-- CreateIndex
CREATE INDEX "project_hooks_project_id_idx" ON "project_hooks"("project_id");

-- CreateIndex
CREATE INDEX "hook_deliveries_hook_id_created_at_idx" ON "hook_deliveries"("hook_id", "created_at");

-- AddForeignKey
ALTER TABLE "pipeline_triggers" ADD CONSTRAINT "pipeline_triggers_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_triggers" ADD CONSTRAINT "pipeline_triggers_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_schedules" ADD CONSTRAINT "pipeline_schedules_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_schedules" ADD CONSTRAINT "pipeline_schedules_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_hooks" ADD CONSTRAINT "project_hooks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hook_deliveries" ADD CONSTRAINT "hook_deliveries_hook_id_fkey" FOREIGN KEY ("hook_id") REFERENCES "project_hooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
