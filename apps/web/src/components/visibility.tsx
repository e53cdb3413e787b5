const TEXT: Record<string, string> = {
  private: "Private",
  internal: "Internal",
  public: "Public",
};

const HELP: Record<string, string> = {
  private: "Only the owner can see this project",
  internal: "Any signed-in user can see this project",
  public: "Anyone can see this project",
};

export function VisibilityBadge({ visibility }: { visibility: string }) {
  return (
    <span
      data-testid="visibility-badge"
      title={HELP[visibility]}
      className="inline-flex items-center gap-1 rounded-full border border-zinc-300 bg-zinc-50 px-2 py-0.5 text-xs font-medium text-zinc-700"
    >
      <svg width="11" height="11" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
        {visibility === "public" ? (
          <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm4.9 6H10.5a11 11 0 0 0-1-4.4A5.5 5.5 0 0 1 12.9 7ZM8 2.6c.6.8 1.3 2.4 1.4 4.4H6.6C6.7 5 7.4 3.4 8 2.6ZM6.5 2.6A11 11 0 0 0 5.5 7H3.1a5.5 5.5 0 0 1 3.4-4.4ZM3.1 9h2.4c.1 1.7.5 3.2 1 4.4A5.5 5.5 0 0 1 3.1 9Zm4.9 4.4C7.4 12.6 6.7 11 6.6 9h2.8c-.1 2-.8 3.6-1.4 4.4Zm1.5 0c.5-1.2.9-2.7 1-4.4h2.4a5.5 5.5 0 0 1-3.4 4.4Z" />
        ) : visibility === "internal" ? (
          <path d="M8 2a3 3 0 1 1 0 6 3 3 0 0 1 0-6Zm0 7c3 0 5.5 1.5 5.5 3.5V14h-11v-1.5C2.5 10.5 5 9 8 9Z" />
        ) : (
          <path d="M5 7V5a3 3 0 0 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z" />
        )}
      </svg>
      {TEXT[visibility] ?? visibility}
    </span>
  );
}
