import { describe, expect, it } from "vitest";
import { OutputLimit } from "../src/output-limit.ts";

describe("OutputLimit", () => {
  it("cuts output beyond the limit and ends with a line saying so", () => {
    const out: Buffer[] = [];
    const limit = new OutputLimit(10, (b) => out.push(b));
    limit.write(Buffer.from("12345"));
    limit.write(Buffer.from("67890abc"));
    limit.write(Buffer.from("never shown"));
    const text = Buffer.concat(out).toString();
    expect(text.startsWith("1234567890\n")).toBe(true);
    expect(text).toContain("Job's log exceeded limit of 10 bytes");
    expect(text).not.toContain("abc");
    expect(text).not.toContain("never shown");
    expect(limit.truncated).toBe(true);
  });
});
