"use client";
/**
 * Shows the status of the pipeline or job on screen in the browser tab: the title gets the status
 * word in front, and a status-coloured favicon replaces the default one while the page is open.
 */
import { useEffect } from "react";
import { statusColor, statusLabel } from "./status";

function iconHref(status: string): string {
  const c = statusColor(status);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${c}"/><circle cx="8" cy="8" r="3" fill="white"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function StatusFavicon({ status, title }: { status: string; title: string }) {
  useEffect(() => {
    const text = `${statusLabel(status)} · ${title} · minilab`;
    document.title = text;
    // Next may re-render <title> on a refresh; put ours back.
    const head = document.head;
    const observer = new MutationObserver(() => {
      if (document.title !== text) document.title = text;
    });
    observer.observe(head, { childList: true, characterData: true, subtree: true });
    const link = document.createElement("link");
    link.rel = "icon";
    link.type = "image/svg+xml";
    link.href = iconHref(status);
    link.dataset["statusIcon"] = status;
    head.appendChild(link);
    return () => {
      observer.disconnect();
      link.remove();
    };
  }, [status, title]);
  return null;
}
