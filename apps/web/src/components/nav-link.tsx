"use client";
import { Link } from "./link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A tab link that marks itself current when the path is `href` (or below it, unless `exact`). */
export function NavLink({
  href,
  exact,
  also = [],
  children,
}: {
  href: string;
  exact?: boolean;
  /** Other path prefixes that belong to this tab (e.g. job pages under Pipelines). */
  also?: string[];
  children: ReactNode;
}) {
  const pathname = usePathname();
  const under = (p: string) => pathname === p || pathname.startsWith(`${p}/`);
  const active = exact ? pathname === href : under(href) || also.some(under);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium whitespace-nowrap hover:no-underline ${
        active
          ? "border-brand-600 text-zinc-900"
          : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900"
      }`}
    >
      {children}
    </Link>
  );
}
