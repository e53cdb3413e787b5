/**
 * The counts-only shortcut of advance-pipeline.ts must agree with the job-by-job rules: over many
 * random pipelines, `stageJobsReady` on the grouped counts says "something moves" exactly when
 * `nextTransitions` moves a job, and the status from the counts equals the status from the jobs.
 */
import { describe, expect, it } from "vitest";
import {
  nextTransitions,
  pipelineStatus,
  pipelineWarnings,
  stageJobsReady,
  type JobGroup,
  type MachineJob,
} from "@minilab/core";

const STATUSES: MachineJob["status"][] = [
  "created",
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
  "waiting_for_resource",
  "canceling",
];
const WHENS = ["on_success", "on_failure", "always", "manual", "delayed"];

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function groups(jobs: readonly MachineJob[]): JobGroup[] {
  const out = new Map<string, JobGroup>();
  for (const j of jobs) {
    const dag = Array.isArray(j.needs);
    const key = `${j.stageIdx}/${j.status}/${j.allowFailure}/${dag}`;
    const g = out.get(key);
    if (g) g.count++;
    else
      out.set(key, { stageIdx: j.stageIdx, status: j.status, allowFailure: j.allowFailure, dag, count: 1 });
  }
  return [...out.values()];
}

function randomPipeline(next: () => number): MachineJob[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const stages = 1 + Math.floor(next() * 4);
  const n = 1 + Math.floor(next() * 12);
  // Mostly finished/running early stages and created later ones, as real pipelines look.
  return Array.from({ length: n }, (_, id) => {
    const stageIdx = Math.floor(next() * stages);
    return {
      id,
      stageIdx,
      status: next() < 0.35 ? "created" : pick(STATUSES),
      when: pick(WHENS),
      allowFailure: next() < 0.25,
    };
  });
}

describe("grouped counts agree with the job-by-job rules", () => {
  it("on 5,000 random stage-ordered pipelines", () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const jobs = randomPipeline(rng(seed));
      const g = groups(jobs);
      const moves = nextTransitions(jobs).length > 0;
      expect({ seed, ready: stageJobsReady(g) }).toEqual({ seed, ready: moves });
      if (!moves) {
        const status = pipelineStatus(jobs);
        expect({ seed, status: pipelineStatus(g) }).toEqual({ seed, status });
        expect(pipelineWarnings(g, status)).toBe(pipelineWarnings(jobs, status));
      }
    }
  });

  it("a wide stage with one job left running moves nothing; its last success moves the next stage", () => {
    const wide = (last: MachineJob["status"]): MachineJob[] => [
      ...Array.from({ length: 499 }, (_, id) => ({
        id,
        stageIdx: 0,
        status: "success" as const,
        when: "on_success",
        allowFailure: false,
      })),
      { id: 499, stageIdx: 0, status: last, when: "on_success", allowFailure: false },
      { id: 500, stageIdx: 1, status: "created", when: "on_success", allowFailure: false },
    ];
    expect(stageJobsReady(groups(wide("running")))).toBe(false);
    expect(pipelineStatus(groups(wide("running")))).toBe("running");
    expect(stageJobsReady(groups(wide("success")))).toBe(true);
  });

  it("created DAG jobs are left to the needs check", () => {
    const jobs: MachineJob[] = [
      { id: 1, stageIdx: 0, status: "success", when: "on_success", allowFailure: false },
      { id: 2, stageIdx: 1, status: "created", when: "on_success", allowFailure: false, needs: [] },
    ];
    expect(stageJobsReady(groups(jobs))).toBe(false);
  });
});
