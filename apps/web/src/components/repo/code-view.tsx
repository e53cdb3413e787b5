import type { Token } from "./highlight";

/**
 * Highlighted source with line numbers; each number is an anchor (`#L12`) and `:target` marks the
 * linked line. Tokens become spans with inline colours — nothing is injected as HTML.
 */
export function CodeView({ lines }: { lines: Token[][] }) {
  return (
    <div className="overflow-x-auto" data-testid="code-view">
      <table className="code-view w-full border-collapse font-mono text-[13px] leading-5">
        <tbody>
          {lines.map((tokens, i) => (
            <tr key={i} id={`L${i + 1}`} className="target:bg-amber-50">
              <td className="w-1 px-3 text-right align-top text-zinc-400 select-none">
                <a href={`#L${i + 1}`} className="text-zinc-400 hover:text-zinc-700">
                  {i + 1}
                </a>
              </td>
              <td className="px-3 whitespace-pre">
                {tokens.map((t, j) => (
                  <span
                    key={j}
                    style={{
                      color: t.color,
                      fontStyle: t.fontStyle !== undefined && t.fontStyle & 1 ? "italic" : undefined,
                      fontWeight: t.fontStyle !== undefined && t.fontStyle & 2 ? 600 : undefined,
                    }}
                  >
                    {t.content}
                  </span>
                ))}
                {tokens.length === 0 && "\n"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
