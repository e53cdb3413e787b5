/** Small inline icons for the file tree (no icon font). */
export function FolderIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="shrink-0">
      <path d="M1.5 3.5h4.2l1.5 1.5h7.3v7.5a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" fill="#a1a1aa" />
    </svg>
  );
}

export function FileIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="shrink-0">
      <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" fill="none" stroke="#71717a" strokeWidth="1.2" />
    </svg>
  );
}

export function SubmoduleIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="shrink-0">
      <rect x="2" y="2" width="12" height="12" rx="2" fill="none" stroke="#71717a" strokeWidth="1.2" />
      <path d="M5 8h6M8 5v6" stroke="#71717a" strokeWidth="1.2" />
    </svg>
  );
}
