import { describe, expect, it } from "vitest";
import { nextTransitions, pipelineStatus, type MachineJob } from "@minilab/core";

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
