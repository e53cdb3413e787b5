"use client";
/**
 * The pipeline graph: stages as columns of job nodes, and — for jobs with `needs:` — a curve from
 * each needed job to the job that needs it (drawn in an SVG overlay from the nodes' measured
 * positions, redrawn on resize). The needs are also in each node's title for screen readers.
 */
import { useLayoutEffect, useRef, useState } from "react";
import { GraphJobAction, type ControlTarget } from "./job-controls";
import { LiveJobNode } from "./live-status";
import { LivePendingReason } from "./project-events";

export interface GraphJob {
  id: number;
  name: string;
  status: string;
  href: string;
  duration: string | null;
  allowFailure: boolean;
  needs: string[] | null;
  /** Why the job is not running yet (core's pendingReasons), for waiting jobs. */
  pendingReason?: string;
  /** Set for users who may retry / cancel / play it: the node then carries that button. */
  control?: ControlTarget;
}

interface Link {
  d: string;
  key: string;
}

export function PipelineGraph({ stages }: { stages: { name: string; jobs: GraphJob[] }[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [links, setLinks] = useState<Link[]>([]);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const hasNeeds = stages.some((s) => s.jobs.some((j) => j.needs && j.needs.length > 0));

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !hasNeeds) return;
    const draw = () => {
      const origin = el.getBoundingClientRect();
      const rect = (name: string) => {
        const n = el.querySelector<HTMLElement>(`[data-job-name="${CSS.escape(name)}"]`);
        return n?.getBoundingClientRect();
      };
      const out: Link[] = [];
      for (const s of stages)
        for (const j of s.jobs)
          for (const need of j.needs ?? []) {
            const a = rect(need);
            const b = rect(j.name);
            if (!a || !b) continue;
            const x1 = a.right - origin.left;
            const y1 = a.top + a.height / 2 - origin.top;
            const x2 = b.left - origin.left;
            const y2 = b.top + b.height / 2 - origin.top;
            const mid = (x1 + x2) / 2;
            out.push({ key: `${need}->${j.name}`, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
          }
      setLinks(out);
      setSize({ w: el.scrollWidth, h: el.scrollHeight });
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(el);
    return () => ro.disconnect();
  }, [stages, hasNeeds]);

  return (
    <section aria-label="Pipeline graph" className="overflow-x-auto rounded-lg bg-zinc-50 p-4">
      <div ref={box} className="relative flex gap-12" data-testid="pipeline-graph">
        {hasNeeds && (
          <svg
            aria-hidden="true"
            className="pointer-events-none absolute top-0 left-0"
            width={size.w}
            height={size.h}
            data-testid="needs-links"
          >
            {links.map((l) => (
              <path key={l.key} d={l.d} data-link={l.key} fill="none" stroke="#a4a3a8" strokeWidth="2" />
            ))}
          </svg>
        )}
        {stages.map((s) => (
          <div key={s.name} className="relative w-56 shrink-0" data-testid={`stage-${s.name}`}>
            <h3 className="mb-3 px-1 text-sm font-semibold text-zinc-800 capitalize">{s.name}</h3>
            <ul className="space-y-2">
              {s.jobs.map((j) => (
                <li key={j.id}>
                  <div className="flex items-center gap-1">
                    <div className="min-w-0 flex-1">
                      <LiveJobNode
                        id={j.id}
                        name={j.name}
                        initial={j.status}
                        href={j.href}
                        {...(j.duration ? { detail: j.duration } : {})}
                        {...(j.needs?.length ? { title: `${j.name} needs ${j.needs.join(", ")}` } : {})}
                      />
                    </div>
                    {j.control && <GraphJobAction target={j.control} initial={j.status} />}
                  </div>
                  {j.allowFailure && j.status === "failed" && (
                    <span className="ml-3 text-xs text-amber-700">allowed to fail</span>
                  )}
                  <LivePendingReason
                    jobId={j.id}
                    {...(j.pendingReason ? { initial: j.pendingReason } : {})}
                  />
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
