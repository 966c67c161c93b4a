import { type ReactNode } from 'react';
import { Alert } from './fields';
import { Pager } from './pager';
import { PAGE_SIZE, type ListState } from './use-list';

/**
 * The frame of a page's list: its error, the table (a caption and, when rows have buttons, an
 * "Actions" head, both for screen readers only), what to say when it is empty, and the pager.
 * The rows stay the page's own: they differ too much to share.
 */
export function ListTable<T>({
  list,
  caption,
  columns,
  actions = false,
  empty,
  pagerLabel,
  children,
}: {
  list: ListState<T>;
  caption: string;
  columns: readonly string[];
  actions?: boolean;
  empty: ReactNode;
  pagerLabel: string;
  children: ReactNode;
}) {
  return (
    <>
      <Alert text={list.error} />
      {/* The frame scrolls sideways on a narrow screen; it takes the focus so the keyboard can scroll it too. */}
      <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
        <table aria-busy={list.loading}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              {actions && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
        {/* Only once the list has answered, so "nothing yet" never flashes before the rows. */}
        {!list.loading && list.items.length === 0 && !list.error && <p className="empty">{empty}</p>}
      </div>
      <Pager label={pagerLabel} offset={list.offset} total={list.total} pageSize={PAGE_SIZE} count={list.items.length} onChange={list.setOffset} />
    </>
  );
}

/** A row's destructive button. Every row's reads the same, so `label` names the row for screen readers. */
export function DangerButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="danger small" onClick={onClick} aria-label={label}>
      {children}
    </button>
  );
}
