import type { Readme } from "@minilab/core";
import { renderMarkdown } from "./markdown";
import { blobUrl } from "./urls";
import "./markdown.css";

/** A README card: Markdown rendered and sanitised, other READMEs as preformatted text. */
export function ReadmeCard({ readme, base, refName }: { readme: Readme; base: string; refName: string }) {
  const dir = readme.path.includes("/") ? readme.path.slice(0, readme.path.lastIndexOf("/")) : "";
  return (
    <section className="card" aria-labelledby="readme-heading" data-testid="readme">
      <h2 id="readme-heading" className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold">
        <a href={blobUrl(base, refName, readme.path)} className="text-zinc-800">
          {readme.path}
        </a>
      </h2>
      {readme.markdown ? (
        <div
          className="markdown px-6 py-5"
          // Sanitised with an allow-list in renderMarkdown.
          dangerouslySetInnerHTML={{ __html: renderMarkdown(readme.text, { base, ref: refName, dir }) }}
        />
      ) : (
        <pre className="overflow-x-auto px-6 py-5 font-mono text-[13px]">{readme.text}</pre>
      )}
      {readme.truncated && <p className="muted px-6 pb-4 text-sm">README truncated at 512 KiB.</p>}
    </section>
  );
}
