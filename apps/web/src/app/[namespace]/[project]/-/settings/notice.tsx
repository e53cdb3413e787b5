/** The outcome message a settings action redirected back with (`?notice=` or `?error=`). */
export function Notice({ search }: { search: Record<string, string | string[] | undefined> }) {
  const notice = typeof search["notice"] === "string" ? search["notice"] : null;
  const error = typeof search["error"] === "string" ? search["error"] : null;
  if (error)
    return (
      <p
        role="alert"
        data-testid="settings-error"
        className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
      >
        {error}
      </p>
    );
  if (notice)
    return (
      <p
        role="status"
        data-testid="settings-notice"
        className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800"
      >
        {notice}
      </p>
    );
  return null;
}

/** Hidden fields every settings form carries so the action knows its project. */
export function ProjectFields({ namespace, path }: { namespace: string; path: string }) {
  return (
    <>
      <input type="hidden" name="namespace" value={namespace} />
      <input type="hidden" name="project" value={path} />
    </>
  );
}
