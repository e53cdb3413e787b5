/** The pipeline page's "Merged YAML" section: the configuration the pipeline was created from. */
export function PipelineConfig({ yaml }: { yaml: string | null }) {
  if (yaml === null) return null;
  return (
    <details className="card mt-6" data-testid="pipeline-merged-yaml">
      <summary className="cursor-pointer px-4 py-2 font-semibold">Merged YAML</summary>
      <p className="muted border-t border-zinc-200 px-4 pt-2 text-xs">
        The configuration this pipeline was created from, with includes, <span className="code">extends</span>{" "}
        and <span className="code">!reference</span> resolved.
      </p>
      <pre className="max-h-[32rem] overflow-auto p-4 font-mono text-xs">{yaml}</pre>
    </details>
  );
}
