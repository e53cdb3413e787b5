"use client";
/**
 * `next/link` that prefetches a page when the reader reaches for the link (pointer over it, keyboard
 * focus, touch), not as soon as it is on screen. Next's default prefetched every link in view: a job
 * page has about a dozen, and each was rendered twice in the background (24 requests, ≈ 0.5 s of server
 * CPU per page view, 3–4 times the page itself). Navigation stays client-side either way.
 */
// eslint-disable-next-line no-restricted-imports -- the one place that wraps next/link
import NextLink from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps, FocusEvent, MouseEvent, TouchEvent } from "react";

export function Link({ onMouseEnter, onFocus, onTouchStart, ...props }: ComponentProps<typeof NextLink>) {
  const router = useRouter();
  const href = typeof props.href === "string" && props.href.startsWith("/") ? props.href : null;
  const prefetch = () => {
    if (href && props.prefetch !== false) router.prefetch(href);
  };
  return (
    <NextLink
      {...props}
      prefetch={false}
      onMouseEnter={(e: MouseEvent<HTMLAnchorElement>) => {
        prefetch();
        onMouseEnter?.(e);
      }}
      onFocus={(e: FocusEvent<HTMLAnchorElement>) => {
        prefetch();
        onFocus?.(e);
      }}
      onTouchStart={(e: TouchEvent<HTMLAnchorElement>) => {
        prefetch();
        onTouchStart?.(e);
      }}
    />
  );
}
