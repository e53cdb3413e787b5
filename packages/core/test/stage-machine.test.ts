import { describe, expect, it } from "vitest";
import { nextTransitions, pipelineStatus, pipelineWarnings, type MachineJob } from "@minilab/core";

const job = (
  id: number,
  stageIdx: number,
  status: MachineJob["status"],
  when = "on_success",
  allowFailure = false,
): MachineJob => ({
  id,
  stageIdx,
  status,
  when,
  allowFailure,
});

describe("nextTransitions", () => {
  it("starts only the first stage of a fresh pipeline", () => {
    expect(nextTransitions([job(1, 0, "created"), job(2, 0, "created"), job(3, 1, "created")])).toEqual([
      { id: 1, to: "pending" },
      { id: 2, to: "pending" },
    ]);
  });

  it("waits while an earlier stage is still running", () => {
    expect(nextTransitions([job(1, 0, "success"), job(2, 0, "running"), job(3, 1, "created")])).toEqual([]);
  });

  it("lets an allowed failure through", () => {
    expect(nextTransitions([job(1, 0, "failed", "on_success", true), job(2, 1, "created")])).toEqual([
      { id: 2, to: "pending" },
    ]);
  });

  it("after a failure skips on_success and manual jobs in every later stage and runs on_failure/always", () => {
    const jobs = [
      job(1, 0, "failed"),
      job(2, 1, "created"),
      job(3, 1, "created", "manual", true),
      job(4, 2, "created", "on_failure"),
      job(5, 2, "created", "always"),
    ];
    expect(nextTransitions(jobs)).toEqual([
      { id: 2, to: "skipped" },
      { id: 3, to: "skipped" },
      { id: 4, to: "pending" },
      { id: 5, to: "pending" },
    ]);
  });

  it("optional manual jobs do not block the next stage; blocking ones do", () => {
    expect(nextTransitions([job(1, 0, "created", "manual", true), job(2, 1, "created")])).toEqual([
      { id: 1, to: "manual" },
      { id: 2, to: "pending" },
    ]);
    expect(nextTransitions([job(1, 0, "created", "manual", false), job(2, 1, "created")])).toEqual([
      { id: 1, to: "manual" },
    ]);
  });
});

describe("pipelineStatus", () => {
  it.each([
    [[job(1, 0, "pending"), job(2, 1, "created")], "pending"],
    [[job(1, 0, "success"), job(2, 1, "pending")], "running"],
    [[job(1, 0, "running")], "running"],
    [[job(1, 0, "success"), job(2, 1, "skipped", "on_failure")], "success"],
    [[job(1, 0, "failed", "on_success", true), job(2, 0, "success")], "success"],
    [[job(1, 0, "failed"), job(2, 1, "skipped")], "failed"],
    [[job(1, 0, "failed"), job(2, 0, "running")], "running"],
    [[job(1, 0, "canceled"), job(2, 1, "skipped")], "canceled"],
    [[job(1, 0, "success"), job(2, 1, "manual", "manual", false), job(3, 2, "created")], "manual"],
    [[job(1, 0, "success"), job(2, 1, "manual", "manual", true)], "success"],
    [[job(1, 0, "skipped")], "skipped"],
  ] as const)("%j → %s", (jobs, expected) => {
    expect(pipelineStatus(jobs)).toBe(expected);
  });
});

const dag = (
  id: number,
  name: string,
  status: MachineJob["status"],
  needs: string[] | null,
  extra: Partial<MachineJob> = {},
): MachineJob => ({
  id,
  name,
  stageIdx: extra.stageIdx ?? 0,
  status,
  when: extra.when ?? "on_success",
  allowFailure: extra.allowFailure ?? false,
  needs: needs === null ? null : needs.map((n) => ({ name: n, optional: false })),
  ...(extra.resourceGroup ? { resourceGroup: extra.resourceGroup } : {}),
});

describe("nextTransitions with needs (DAG)", () => {
  it("needs: [] starts at once, in any stage; a job with needs waits only for them", () => {
    const jobs = [
      dag(1, "a", "created", null),
      dag(2, "slow", "created", null),
      dag(3, "b", "created", ["a"], { stageIdx: 1 }),
      dag(4, "lint", "created", [], { stageIdx: 2 }),
    ];
    expect(nextTransitions(jobs)).toEqual([
      { id: 1, to: "pending" },
      { id: 2, to: "pending" },
      { id: 4, to: "pending" },
    ]);
    const later = [
      dag(1, "a", "success", null),
      dag(2, "slow", "running", null),
      dag(3, "b", "created", ["a"], { stageIdx: 1 }),
      dag(5, "c", "created", null, { stageIdx: 1 }),
    ];
    expect(nextTransitions(later)).toEqual([{ id: 3, to: "pending" }]);
  });

  it("a failed need: on_success skipped, always and on_failure run; skips cascade in one call", () => {
    const jobs = [
      dag(1, "a", "failed", null),
      dag(2, "next", "created", ["a"], { stageIdx: 1 }),
      dag(3, "cleanup", "created", ["a"], { stageIdx: 1, when: "always" }),
      dag(4, "alert", "created", ["a"], { stageIdx: 1, when: "on_failure" }),
      dag(5, "after", "created", ["next"], { stageIdx: 2 }),
    ];
    expect(nextTransitions(jobs)).toEqual([
      { id: 2, to: "skipped" },
      { id: 3, to: "pending" },
      { id: 4, to: "pending" },
      { id: 5, to: "skipped" },
    ]);
  });

  it("an allowed failure counts as success for dependents; a skipped need skips them", () => {
    expect(
      nextTransitions([
        dag(1, "a", "failed", null, { allowFailure: true }),
        dag(2, "b", "created", ["a"], { stageIdx: 1 }),
      ]),
    ).toEqual([{ id: 2, to: "pending" }]);
    expect(
      nextTransitions([
        dag(1, "a", "skipped", null),
        dag(2, "b", "created", ["a"], { stageIdx: 1, when: "always" }),
      ]),
    ).toEqual([{ id: 2, to: "pending" }]);
    expect(
      nextTransitions([dag(1, "a", "skipped", null), dag(2, "b", "created", ["a"], { stageIdx: 1 })]),
    ).toEqual([{ id: 2, to: "skipped" }]);
  });

  it("waits for a need that is manual; ignores a need on a job absent from the pipeline", () => {
    expect(
      nextTransitions([
        dag(1, "gate", "manual", null, { when: "manual", allowFailure: true }),
        dag(2, "b", "created", ["gate"]),
      ]),
    ).toEqual([]);
    expect(nextTransitions([dag(2, "b", "created", ["not-here"])])).toEqual([{ id: 2, to: "pending" }]);
  });
});

describe("nextTransitions: delayed and resource_group", () => {
  it("delayed jobs are scheduled; jobs with a resource group wait for it", () => {
    expect(
      nextTransitions([
        dag(1, "later", "created", null, { when: "delayed" }),
        dag(2, "deploy", "created", null, { resourceGroup: "prod" }),
      ]),
    ).toEqual([
      { id: 1, to: "scheduled" },
      { id: 2, to: "waiting_for_resource" },
    ]);
  });

  it("a delayed job after a failure is skipped; scheduled jobs keep later stages waiting", () => {
    expect(
      nextTransitions([
        dag(1, "a", "failed", null),
        dag(2, "later", "created", null, { stageIdx: 1, when: "delayed" }),
      ]),
    ).toEqual([{ id: 2, to: "skipped" }]);
    expect(
      nextTransitions([
        dag(1, "later", "scheduled", null, { when: "delayed" }),
        dag(2, "b", "created", null, { stageIdx: 1 }),
      ]),
    ).toEqual([]);
  });
});

describe("pipelineStatus (GitLab's composite)", () => {
  it.each([
    [[job(1, 0, "scheduled", "delayed"), job(2, 1, "created")], "scheduled"],
    [[job(1, 0, "waiting_for_resource"), job(2, 1, "created")], "waiting_for_resource"],
    [[job(1, 0, "success"), job(2, 0, "canceling")], "canceling"],
    [[job(1, 0, "manual", "manual", true), job(2, 1, "created")], "manual"],
    [[job(1, 0, "failed"), job(2, 0, "canceled")], "failed"],
  ] as const)("%j → %s", (jobs, expected) => {
    expect(pipelineStatus(jobs)).toBe(expected);
  });

  it("success with an allowed failure is 'passed with warnings'", () => {
    const jobs = [job(1, 0, "success"), job(2, 0, "failed", "on_success", true)];
    expect(pipelineStatus(jobs)).toBe("success");
    expect(pipelineWarnings(jobs, "success")).toBe(true);
    expect(pipelineWarnings([job(1, 0, "success")], "success")).toBe(false);
  });
});
