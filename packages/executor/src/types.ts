/**
 * The executor contract: run one job's scripts somewhere (a Docker container, a fake) and report how
 * it ended. Executors know nothing about the server, the queue or log uploading; the runner feeds
 * their output into its LogUploader and maps the result onto a JobFinish.
 */
import type { JobVariable } from "@minilab/contracts";

/** GitLab failure-reason words an executor can produce. */
export type ExecutorFailureReason =
  "script_failure" | "job_execution_timeout" | "runner_system_failure" | "image_pull_failure" | "canceled";

export interface DockerOptions {
  /** Docker network mode for job containers (`bridge`, `none`, a network name). @defaultValue "bridge" */
  networkMode?: string;
  /** Memory limit in bytes; unset means unlimited. */
  memory?: number;
  /** CPU limit as a number of CPUs (e.g. 1.5); unset means unlimited. */
  cpus?: number;
  /** Max processes inside the container. @defaultValue 1024 */
  pidsLimit?: number;
  /** Privileged containers can escape to the host; only an operator may opt in. @defaultValue false */
  privileged?: boolean;
  /**
   * `if-not-present`: use the local image, pull only when missing. `never`: fail with
   * image_pull_failure when missing. `always`: pull before every job; a failed pull fails the job.
   * @defaultValue "if-not-present"
   */
  pullPolicy?: "always" | "if-not-present" | "never";
  /** `host:container[:ro]` bind mounts, or `/path` for an anonymous volume removed with the job. */
  volumes?: string[];
  /** Glob patterns (`*` = any characters) the job and service images must match; empty = any. */
  allowedImages?: string[];
  /** Max `services:` per job. @defaultValue 5 */
  servicesLimit?: number;
  /**
   * Bind the engine's socket into job containers at /var/run/docker.sock, so jobs can `docker build`.
   * Jobs then control the engine (and so the host): only for trusted projects. @defaultValue false
   */
  dockerSocket?: boolean;
  /** Host path of the engine socket to bind when `dockerSocket`. @defaultValue from DOCKER_HOST, else /var/run/docker.sock */
  dockerSocketPath?: string;
  /** How long to wait for each service's exposed ports. @defaultValue 30 */
  serviceWaitSeconds?: number;
}

/** A `services:` entry: started before the job on its network, reachable by alias (and by name). */
export interface ServiceRequest {
  name: string;
  alias?: string | null;
  entrypoint?: string[] | null;
  command?: string[] | null;
}

export interface ExecutionRequest {
  jobId: number;
  image: string;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Environment of both steps; later entries win for duplicate keys. */
  variables: JobVariable[];
  /** Host directory that already holds the checked-out repository. */
  hostWorkdir: string;
  /** Where the workdir appears inside the job's environment; also the working directory. */
  projectDir: string;
  /** Budget for before_script + script; after_script has its own (below). */
  timeoutSeconds: number;
  /** after_script is bounded separately so it still runs after a timeout. @defaultValue 300 */
  afterScriptTimeoutSeconds?: number;
  docker?: DockerOptions;
  /** `image: {entrypoint}`; `[""]` clears the image's entrypoint. Absent = the image's own. */
  imageEntrypoint?: string[] | null;
  services?: ServiceRequest[];
}

/**
 * Receives log bytes. Returning a promise is backpressure: the executor stops reading the job's
 * output until it settles (the job's writes then block once the pipes fill), and drops nothing.
 * Any other return value is ignored.
 */
export type OutputSink = (chunk: Buffer) => unknown;

export interface ExecutionIO {
  /** Log bytes in the order they were produced (stdout and stderr interleaved); see {@link OutputSink}. */
  onOutput: OutputSink;
  /** Aborting cancels the main step; after_script still runs, bounded by its own timeout. */
  signal: AbortSignal;
}

export interface ExecutionResult {
  /** Exit code of the main step; null when it never ran to an exit (timeout, cancel, system error). */
  exitCode: number | null;
  /** Absent on success. */
  failureReason?: ExecutorFailureReason;
}

export interface Executor {
  readonly name: string;
  run(req: ExecutionRequest, io: ExecutionIO): Promise<ExecutionResult>;
}
