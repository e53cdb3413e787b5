import type { Db } from "@minilab/db";

/**
 * The merged configuration a pipeline was created from (null for pipelines created before it was
 * stored, or whose file was not YAML). Read separately from the pipeline view: it can be large.
 */
export async function getPipelineMergedYaml(opts: { db: Db; pipelineId: number }): Promise<string | null> {
  const row = await opts.db.pipeline.findUnique({
    where: { id: opts.pipelineId },
    select: { mergedYaml: true },
  });
  return row?.mergedYaml ?? null;
}
