import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ThemeScript } from "../components/theme";
import { TopBar } from "../components/top-bar";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "minilab", template: "%s · minilab" },
  description: "A self-hosted mini GitLab: git hosting and CI pipelines.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets `class="dark"` before hydration.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          Skip to content
        </a>
        <TopBar />
        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
