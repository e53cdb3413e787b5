/**
 * Line latency, container → browser-side SSE client. Each line carries the container's wall clock in
 * µs (busybox `adjtimex`: the kernel clock the host shares, so no clock skew); the client stamps the
 * arrival of each `log` event with Date.now(). Latency = arrival − stamp, covering docker attach,
 * the runner's batching (≤ 25 ms) and upload, Postgres, Redis pub/sub and the SSE stream.
 */
import { pct } from "./setup.ts";

export const latencyCi = (lines: number) => `
latency:
  script:
    - i=1; while [ $i -le ${lines} ]; do echo "L $i $(adjtimex | awk '/tv_sec/{s=$2} /tv_usec/{u=$2} END{printf "%d%06d", s, u}')"; i=$((i+1)); sleep 0.02; done
`;

export async function measureSse(url: string): Promise<number[]> {
  const res = await fetch(url, { headers: { Accept: "text/event-stream" } });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: ${res.status}`);
  const latencies: number[] = [];
  const decoder = new TextDecoder();
  let buf = "";
  let partial = "";
  const reader = res.body.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    const arrived = Date.now();
    buf += decoder.decode(chunk, { stream: true });
    let sep: number;
    while ((sep = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, sep);
      buf = buf.slice(sep + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (!data) continue;
      if (event === "status" && (JSON.parse(data) as { final: boolean }).final) {
        await reader.cancel();
        return latencies;
      }
      if (event !== "log") continue;
      const lines = (partial + (JSON.parse(data) as string)).split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) {
        const m = /^L \d+ (\d{16})$/.exec(l.trim());
        if (m) latencies.push(arrived - Number(m[1]) / 1000);
      }
    }
  }
  return latencies;
}

export function summary(xs: number[]): string {
  return `n=${xs.length} p50=${pct(xs, 50).toFixed(1)} ms p95=${pct(xs, 95).toFixed(1)} ms max=${Math.max(...xs).toFixed(1)} ms`;
}
