"use client";
import { useCallback, useEffect, useRef } from "react";

/**
 * Whether a stream's `ready` event says the page missed something: true unless both the page and
 * the stream know the live version (server/live-version.ts) and they are equal. The page's version
 * follows its props, so after a refresh the new render's version counts.
 */
export function useMissedSince(version: string | undefined): (ready: MessageEvent<string>) => boolean {
  const rendered = useRef(version);
  useEffect(() => {
    rendered.current = version;
  }, [version]);
  return useCallback((ready: MessageEvent<string>) => {
    if (rendered.current === undefined) return true;
    try {
      const data = JSON.parse(ready.data) as { version?: unknown };
      return data.version !== rendered.current;
    } catch {
      return true;
    }
  }, []);
}
