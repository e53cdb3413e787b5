"use client";
/**
 * Keeps the admin runners table current by server push: on each runner going offline or coming back
 * online (events.stream next to this page) the page is re-read from the server, as it is once the
 * stream is connected (whatever changed between rendering and subscribing). Coalesced: a burst of
 * events costs one refresh.
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function RunnersLive({ url }: { url: string }) {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, 200);
    };
    const es = new EventSource(url);
    es.addEventListener("ready", refresh);
    es.addEventListener("presence", refresh);
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [url, router]);
  return null;
}
