/**
 * Runs a job's scripts directly on the runner host with `sh`, in the checked-out workdir — gitlab-runner's
 * shell executor. No isolation whatsoever: the job runs as the runner's user with its access to the
 * host, so use it only on hosts dedicated to trusted projects. Each step runs in its own process group,
 * so cancel and timeout kill everything the script started.
 */
import { spawn } from "node:child_process";
import { backpressure } from "./output-sink.ts";
import { buildScript, fileVariableKeys } from "./script.ts";
import { errorLine, infoLine, sectionEnd, sectionStart } from "./sections.ts";
import type { Readable } from "node:stream";
import type { ExecutionIO, ExecutionRequest, ExecutionResult, Executor, OutputSink } from "./types.ts";

type Outcome = { kind: "exited"; exitCode: number } | { kind: "timeout" } | { kind: "aborted" };

export class ShellExecutor implements Executor {
  readonly name = "shell";

  async run(req: ExecutionRequest, io: ExecutionIO): Promise<ExecutionResult> {
    const out = (b: Buffer): void => void io.onOutput(b);
    out(sectionStart("prepare_executor", 'Preparing the "shell" executor'));
    out(infoLine(`Using shell executor in ${req.hostWorkdir} ...`));
    out(sectionEnd("prepare_executor"));
    // CI_PROJECT_DIR must point where the files are on this host, not at the container path.
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const v of req.variables) env[v.key] = v.value;
    env["CI_PROJECT_DIR"] = req.hostWorkdir;
    env["CI_BUILDS_DIR"] = req.hostWorkdir;

    out(sectionStart("step_script", 'Executing "step_script" stage of the job script'));
    const main = await runShell(
      buildScript([...req.beforeScript, ...req.script], fileVariableKeys(req.variables)),
      req.hostWorkdir,
      env,
      io.onOutput,
      req.timeoutSeconds * 1000,
      io.signal,
    );
    let result: ExecutionResult;
    if (main.kind === "exited" && main.exitCode === 0) result = { exitCode: 0 };
    else if (main.kind === "exited") {
      out(errorLine(`ERROR: Job failed: exit code ${main.exitCode}`));
      result = { exitCode: main.exitCode, failureReason: "script_failure" };
    } else if (main.kind === "timeout") {
      out(errorLine(`ERROR: Job failed: execution took longer than ${req.timeoutSeconds} seconds`));
      result = { exitCode: null, failureReason: "job_execution_timeout" };
    } else {
      out(errorLine("ERROR: Job failed: canceled"));
      result = { exitCode: null, failureReason: "canceled" };
    }
    out(sectionEnd("step_script"));

    if (req.afterScript.length > 0) {
      const budget = req.afterScriptTimeoutSeconds ?? 300;
      out(sectionStart("after_script", "Running after_script"));
      out(infoLine("Running after script..."));
      const after = await runShell(
        buildScript(req.afterScript, fileVariableKeys(req.variables)),
        req.hostWorkdir,
        env,
        io.onOutput,
        budget * 1000,
      );
      if (after.kind === "timeout") out(errorLine(`WARNING: after_script timed out after ${budget}s`));
      else if (after.kind === "exited" && after.exitCode !== 0)
        out(errorLine(`WARNING: after_script failed with exit code ${after.exitCode}`));
      out(sectionEnd("after_script"));
    }
    return result;
  }
}

function runShell(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  out: OutputSink,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Outcome> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: "aborted" });
    const child = spawn("sh", ["-c", script], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stopped: "timeout" | "aborted" | undefined;
    const kill = (why: "timeout" | "aborted"): void => {
      stopped ??= why;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill("timeout"), timeoutMs);
    const onAbort = (): void => kill("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
    // Backpressure: a pending sink pauses the pipe; `close` waits until both are drained.
    const pipe = (stream: Readable): void => {
      stream.on("data", (chunk: Buffer) => {
        const wait = backpressure(out(chunk));
        if (!wait) return;
        stream.pause();
        const resume = (): void => void stream.resume();
        wait.then(resume, resume);
      });
    };
    pipe(child.stdout);
    pipe(child.stderr);
    const done = (o: Outcome): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(o);
    };
    child.on("error", (err) => {
      void out(errorLine(`cannot run sh: ${err.message}`));
      done({ kind: "exited", exitCode: 127 });
    });
    child.on("close", (code) => done(stopped ? { kind: stopped } : { kind: "exited", exitCode: code ?? 1 }));
  });
}
