/** "1–25 of 60" with Previous and Next, for a list longer than a page. */
export function Pager({
  offset,
  total,
  pageSize,
  count,
  onChange,
  label,
}: {
  offset: number;
  total: number;
  pageSize: number;
  count: number;
  onChange: (offset: number) => void;
  label: string;
}) {
  if (total <= pageSize && offset === 0) {
    return total > 0 ? <p className="pager-summary">{total === 1 ? '1 item' : `${total} items`}</p> : null;
  }
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span aria-live="polite">
        {count === 0 ? 0 : offset + 1}–{offset + count} of {total}
      </span>
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <button type="button" className="secondary" disabled={offset + pageSize >= total} onClick={() => onChange(offset + pageSize)}>
        Next
      </button>
    </nav>
  );
}
