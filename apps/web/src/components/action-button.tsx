/**
 * A form of one button posting to a server action, with its hidden fields: the delete / revoke /
 * remove buttons of list rows. `label` names the thing acted on for screen readers, since the
 * visible text ("Delete") is the same on every row.
 */
export function ActionButton({
  action,
  fields = {},
  text,
  label,
  danger = true,
  testId,
}: {
  action: (form: FormData) => void | Promise<void>;
  fields?: Record<string, string | number>;
  text: string;
  /** Accessible name, e.g. "Delete runner 3". */
  label: string;
  danger?: boolean;
  testId?: string;
}) {
  return (
    <form action={action}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        className={danger ? "btn btn-danger" : "btn"}
        aria-label={label}
        data-testid={testId}
      >
        {text}
      </button>
    </form>
  );
}
