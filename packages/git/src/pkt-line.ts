/** Git's pkt-line framing: 4 hex digits of total length (including the 4), then the payload. */
export function pktLine(payload: string): Uint8Array {
  const data = Buffer.from(payload, "utf8");
  if (data.length + 4 > 65520) throw new Error("pkt-line payload too long");
  return Buffer.concat([Buffer.from((data.length + 4).toString(16).padStart(4, "0"), "ascii"), data]);
}

/** The flush packet that ends a section. */
export const FLUSH_PKT: Uint8Array = Buffer.from("0000", "ascii");
