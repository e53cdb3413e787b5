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
  inline = false,
  small = false,
  testId,
}: {
  action: (form: FormData) => void | Promise<void>;
  fields?: Record<string, string | number>;
  text: string;
  /** Accessible name, e.g. "Delete runner 3"; omit only where `text` already names the thing. */
  label?: string;
  danger?: boolean;
  /** Beside other controls on one line (`display: inline`). @defaultValue false */
  inline?: boolean;
  /** The compact button of dense rows. @defaultValue false */
  small?: boolean;
  testId?: string;
}) {
  return (
    <form action={action} className={inline ? "inline" : undefined}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        className={`btn${danger ? " btn-danger" : ""}${small ? " px-2 py-1" : ""}`}
        aria-label={label}
        data-testid={testId}
      >
        {text}
      </button>
    </form>
  );
}
