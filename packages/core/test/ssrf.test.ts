/** The webhook SSRF guard's address rules (pure) and URL checks (DNS for names). */
import { describe, expect, it } from "vitest";
import { addressProblem, assertHookUrlAllowed, isAppError } from "@minilab/core";

const LOCAL = [
  "127.0.0.1",
  "127.10.0.5",
  "10.0.0.1",
  "172.16.5.4",
  "172.31.255.255",
  "192.168.1.1",
  "100.64.0.1",
  "169.254.169.254",
  "::1",
  "fd00:ec2::254",
  "fc00::1",
  "fe80::1",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::ffff:a9fe:a9fe",
  "64:ff9b::10.0.0.1",
];
const NEVER = ["0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1"];
const PUBLIC = ["93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "203.0.113.10"];

describe("addressProblem", () => {
  it.each(LOCAL)("refuses local %s unless local targets are allowed", (ip) => {
    expect(addressProblem(ip, false)).toBe("Requests to the local network are not allowed");
    expect(addressProblem(ip, true)).toBeNull();
  });
  it.each(NEVER)("never allows %s", (ip) => {
    expect(addressProblem(ip, true)).toMatch(/not allowed/);
  });
  it.each(PUBLIC)("allows public %s", (ip) => {
    expect(addressProblem(ip, false)).toBeNull();
  });
});

describe("assertHookUrlAllowed", () => {
  const refused = async (url: string, allowLocal = false) => {
    try {
      await assertHookUrlAllowed(url, allowLocal);
    } catch (e) {
      if (isAppError(e)) return e.message;
      throw e;
    }
    return null;
  };
  it("checks scheme and every resolved address", async () => {
    expect(await refused("file:///etc/passwd")).toMatch(/Only allowed schemes are http, https/);
    expect(await refused("http://localhost:3000/")).toMatch(/^URL is blocked/);
    expect(await refused("http://LOCALHOST./x")).toMatch(/^URL is blocked/);
    expect(await refused("http://[::ffff:169.254.169.254]/")).toMatch(/^URL is blocked/);
    expect(await refused("http://2130706433/")).toMatch(/^URL is blocked/); // 127.0.0.1 as a number
    expect(await refused("https://203.0.113.10/hook")).toBeNull();
    expect(await refused("http://127.0.0.1:8080/", true)).toBeNull();
    expect(await refused("http://localhost:8080/", true)).toBeNull();
  });
});
