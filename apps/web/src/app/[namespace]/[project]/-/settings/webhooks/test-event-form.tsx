import { ProjectFields } from "../notice";
import { testHookAction } from "./actions";

/** GitLab's "Test" menu: send a sample of one event type now. */
export function TestEventForm({
  namespace,
  path,
  id,
  back,
}: {
  namespace: string;
  path: string;
  id: number;
  back: "list" | "hook";
}) {
  return (
    <form action={testHookAction} className="inline-flex items-center gap-1">
      <ProjectFields namespace={namespace} path={path} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="back" value={back} />
      <label className="sr-only" htmlFor={`test-trigger-${id}`}>
        Test event
      </label>
      <select
        id={`test-trigger-${id}`}
        name="trigger"
        className="input w-auto py-1 text-sm"
        defaultValue="push_events"
      >
        <option value="push_events">Push events</option>
        <option value="tag_push_events">Tag push events</option>
        <option value="pipeline_events">Pipeline events</option>
        <option value="job_events">Job events</option>
      </select>
      <button type="submit" className="btn px-2 py-1">
        Send test event
      </button>
    </form>
  );
}
