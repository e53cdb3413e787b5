/** Length of the longest prefix of `buf` that ends on a UTF-8 character boundary. */
export function completeUtf8Length(buf: Uint8Array): number {
  const len = buf.length;
  let i = len - 1;
  let steps = 0;
  while (i >= 0 && steps < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    steps++;
  }
  if (i < 0) return len;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return len - i < need ? i : len;
}
