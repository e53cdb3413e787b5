/**
 * An executor that interprets a tiny command language instead of running a shell, so orchestration
 * tests (runner, cancel, masking, log upload) need no Docker. Like woodpecker's dummy backend, the
 * behaviour is driven entirely by the job's script text:
 *
 *   echo <words>   prints the words; `$VAR` / `${VAR}` expand from the job variables
 *   exit <n>       ends the step with exit code n (0 = success)
 *   false          exit code 1
 *   sleep <secs>   waits (fractions allowed), honouring abort and timeout
 *   anything else  succeeds silently
 *
 * Each command is echoed as `$ <cmd>` in green, exactly like the Docker executor's generated script.
 */
import { errorLine, sectionEnd, sectionStart } from "./sections.ts";
import type { ExecutionIO, ExecutionRequest, ExecutionResult, Executor } from "./types.ts";

type Step = { kind: "exit"; code: number } | { kind: "ok" } | { kind: "stopped"; why: "timeout" | "aborted" };

export class FakeExecutor implements Executor {
  readonly name = "fake";
  /** Every request seen, in order; lets tests assert what the runner asked for. */
  readonly requests: ExecutionRequest[] = [];

  async run(req: ExecutionRequest, io: ExecutionIO): Promise<ExecutionResult> {
    this.requests.push(req);
    const env = new Map(req.variables.map((v) => [v.key, v.value]));
    const deadline = Date.now() + req.timeoutSeconds * 1000;

    io.onOutput(sectionStart("step_script", 'Executing "step_script" stage of the job script'));
    const main = await runCommands([...req.beforeScript, ...req.script], env, io, deadline, io.signal);
    io.onOutput(sectionEnd("step_script"));

    if (req.afterScript.length > 0) {
      io.onOutput(sectionStart("after_script", "Running after_script"));
      const afterDeadline = Date.now() + (req.afterScriptTimeoutSeconds ?? 300) * 1000;
      await runCommands(req.afterScript, env, io, afterDeadline, undefined);
      io.onOutput(sectionEnd("after_script"));
    }

    switch (main.kind) {
      case "ok":
        return { exitCode: 0 };
      case "exit":
        if (main.code === 0) return { exitCode: 0 };
        io.onOutput(errorLine(`ERROR: Job failed: exit code ${main.code}`));
        return { exitCode: main.code, failureReason: "script_failure" };
      case "stopped":
        return main.why === "timeout"
          ? { exitCode: null, failureReason: "job_execution_timeout" }
          : { exitCode: null, failureReason: "canceled" };
    }
  }
}

async function runCommands(
  commands: readonly string[],
  env: ReadonlyMap<string, string>,
  io: ExecutionIO,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Step> {
  for (const cmd of commands) {
    for (const line of cmd.split("\n")) {
      if (signal?.aborted) return { kind: "stopped", why: "aborted" };
      if (Date.now() >= deadline) return { kind: "stopped", why: "timeout" };
      io.onOutput(Buffer.from(`\x1b[32;1m$ ${line}\x1b[0;m\n`));
      const step = await runLine(line.trim(), env, io, deadline, signal);
      if (step.kind !== "ok") return step;
    }
  }
  return { kind: "ok" };
}

async function runLine(
  line: string,
  env: ReadonlyMap<string, string>,
  io: ExecutionIO,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Step> {
  const [word = "", ...rest] = line.split(/\s+/);
  const arg = rest.join(" ");
  switch (word) {
    case "echo":
      io.onOutput(Buffer.from(expand(arg, env) + "\n"));
      return { kind: "ok" };
    case "exit": {
      const code = Number.parseInt(arg || "0", 10);
      return { kind: "exit", code: Number.isNaN(code) ? 2 : code };
    }
    case "false":
      return { kind: "exit", code: 1 };
    case "sleep":
      return sleep(Number(arg) * 1000, deadline, signal);
    default:
      return { kind: "ok" };
  }
}

function expand(text: string, env: ReadonlyMap<string, string>): string {
  return text
    .replace(/^(["'])(.*)\1$/, "$2")
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => env.get(a ?? b ?? "") ?? "");
}

function sleep(ms: number, deadline: number, signal: AbortSignal | undefined): Promise<Step> {
  return new Promise((resolve) => {
    const untilDeadline = deadline - Date.now();
    const finish = (step: Step): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(step);
    };
    const onAbort = (): void => finish({ kind: "stopped", why: "aborted" });
    const timer =
      ms < untilDeadline
        ? setTimeout(() => finish({ kind: "ok" }), ms)
        : setTimeout(() => finish({ kind: "stopped", why: "timeout" }), Math.max(0, untilDeadline));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
