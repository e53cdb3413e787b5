/**
 * SSRF guard for outgoing webhooks. A hook URL must be http(s), and every address its host resolves to
 * must be public unless the instance allows local network targets (Admin → Settings → Network). Local
 * means loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local
 * (169.254/16 — which holds the cloud metadata address 169.254.169.254 — and fe80::/10). Unspecified,
 * multicast and reserved addresses are never allowed. The check runs when a hook is saved and again in
 * the socket's DNS lookup at delivery time, so a name re-pointed at a local address after saving (DNS
 * rebinding) is refused too: the address checked is the address connected to.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { AppError } from "../errors.ts";

const never = new BlockList();
never.addSubnet("0.0.0.0", 8, "ipv4");
never.addSubnet("224.0.0.0", 4, "ipv4");
never.addSubnet("240.0.0.0", 4, "ipv4");
never.addAddress("::", "ipv6");
never.addSubnet("ff00::", 8, "ipv6");

const local = new BlockList();
local.addSubnet("127.0.0.0", 8, "ipv4");
local.addSubnet("10.0.0.0", 8, "ipv4");
local.addSubnet("172.16.0.0", 12, "ipv4");
local.addSubnet("192.168.0.0", 16, "ipv4");
local.addSubnet("100.64.0.0", 10, "ipv4");
local.addSubnet("169.254.0.0", 16, "ipv4");
local.addSubnet("192.0.0.0", 24, "ipv4");
local.addSubnet("198.18.0.0", 15, "ipv4");
local.addAddress("::1", "ipv6");
local.addSubnet("fc00::", 7, "ipv6");
local.addSubnet("fe80::", 10, "ipv6");

/** IPv4 embedded in an IPv6 address (`::ffff:a.b.c.d`, `::ffff:7f00:1`, NAT64 `64:ff9b::/96`), else null. */
function embeddedV4(ip: string): string | null {
  const m = /^(?:::ffff:(?:0:)?|64:ff9b::)(.+)$/i.exec(ip);
  if (!m?.[1]) return null;
  if (isIP(m[1]) === 4) return m[1];
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(m[1]);
  if (!hex) return null;
  const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** Why `ip` may not be a webhook target, or null when it may. */
export function addressProblem(ip: string, allowLocal: boolean): string | null {
  const family = isIP(ip);
  if (family === 0) return `${ip} is not an IP address`;
  const v4 = family === 6 ? embeddedV4(ip) : ip;
  const [addr, type] = v4 ? [v4, "ipv4" as const] : [ip, "ipv6" as const];
  if (never.check(addr, type)) return `Requests to ${ip} are not allowed`;
  if (!allowLocal && local.check(addr, type)) return "Requests to the local network are not allowed";
  return null;
}

/** Parses and checks a hook URL's form (scheme, host); throws `invalid_input`. */
export function parseHookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError("invalid_input", "URL is blocked: Only allowed schemes are http, https", {
      field: "url",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("invalid_input", "URL is blocked: Only allowed schemes are http, https", {
      field: "url",
    });
  if (!url.hostname)
    throw new AppError("invalid_input", "URL is blocked: Host cannot be empty", { field: "url" });
  return url;
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, "");

/** Resolves the URL's host and throws `invalid_input` ("URL is blocked: …") if any address is refused. */
export async function assertHookUrlAllowed(raw: string, allowLocal: boolean): Promise<URL> {
  const url = parseHookUrl(raw);
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    if (!allowLocal && /^localhost\.?$/i.test(host))
      throw new AppError("invalid_input", "URL is blocked: Requests to localhost are not allowed", {
        field: "url",
      });
    try {
      addresses = (await lookupAll(host)).map((a) => a.address);
    } catch {
      throw new AppError("invalid_input", `URL is blocked: Host cannot be resolved or invalid`, {
        field: "url",
      });
    }
  }
  for (const a of addresses) {
    const problem = addressProblem(a, allowLocal);
    if (problem) throw new AppError("invalid_input", `URL is blocked: ${problem}`, { field: "url" });
  }
  return url;
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that refuses blocked addresses: the connection goes to an address
 * this function checked. IP-literal hosts never reach a lookup, so callers check those themselves
 * (deliver.ts runs assertHookUrlAllowed first).
 */
export function guardedLookup(allowLocal: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(
      hostname,
      { all: true, ...(options.family ? { family: options.family } : {}) },
      (err, addrs) => {
        if (err) return callback(err, []);
        for (const a of addrs) {
          const problem = addressProblem(a.address, allowLocal);
          if (problem) {
            const e = new Error(`URL is blocked: ${problem}`) as NodeJS.ErrnoException;
            e.code = "EBLOCKED";
            return callback(e, []);
          }
        }
        if (options.all) return callback(null, addrs);
        const first = addrs[0];
        if (!first) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), []);
        callback(null, first.address, first.family);
      },
    );
  };
}
