/**
 * README rendering: Markdown → HTML with `marked` (GFM), then `sanitize-html` with an allow-list,
 * so a README can never inject script, styles, event handlers or `javascript:` URLs. Relative
 * links point into the tree at the same ref, relative images at the raw file.
 */
import { marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { blobUrl, rawUrl } from "./urls";

export interface MarkdownContext {
  base: string;
  ref: string;
  /** Directory of the Markdown file ("" = root). */
  dir: string;
}

const isRelative = (url: string): boolean => !/^([a-z][a-z0-9+.-]*:|\/\/|\/|#)/i.test(url);

function resolve(dir: string, rel: string): string {
  const out = dir ? dir.split("/") : [];
  for (const seg of rel.split(/[?#]/)[0]!.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

export function renderMarkdown(text: string, ctx: MarkdownContext): string {
  const html = marked.parse(text, { gfm: true, async: false });
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "del", "input", "details", "summary"],
    allowedAttributes: {
      a: ["href", "name", "title"],
      img: ["src", "alt", "title", "width", "height"],
      input: ["type", "checked", "disabled"],
      code: ["class"],
      th: ["align"],
      td: ["align"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedClasses: { code: [/^language-[\w-]+$/] },
    transformTags: {
      a: (tag, attribs) => {
        const href = attribs["href"];
        if (href && isRelative(href)) attribs["href"] = blobUrl(ctx.base, ctx.ref, resolve(ctx.dir, href));
        if (href && /^https?:/i.test(href)) attribs["rel"] = "noopener noreferrer nofollow";
        return { tagName: tag, attribs };
      },
      img: (tag, attribs) => {
        const src = attribs["src"];
        if (src && isRelative(src)) attribs["src"] = rawUrl(ctx.base, ctx.ref, resolve(ctx.dir, src));
        return { tagName: tag, attribs };
      },
    },
  });
}
