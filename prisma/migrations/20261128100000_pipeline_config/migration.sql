-- Every pipeline keeps the configuration it was created from: the merged YAML (shown on the pipeline
-- page) and the engine's plan. Older pipelines have neither.
ALTER TABLE "pipelines" ADD COLUMN "merged_yaml" TEXT,
ADD COLUMN "plan" JSONB;
