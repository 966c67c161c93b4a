import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

// A few client-side routes need no router library: the path is the state, history holds it,
// and the gateway answers every such path with index.html.
const NAVIGATED = 'keyward:navigate';

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(NAVIGATED, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(NAVIGATED, callback);
  };
}

function currentPath(): string {
  return window.location.pathname + window.location.search;
}

export function usePath(): { pathname: string; search: URLSearchParams } {
  const path = useSyncExternalStore(subscribe, currentPath);
  const url = new URL(path, window.location.origin);
  return { pathname: url.pathname.replace(/\/+$/, '') || '/', search: url.searchParams };
}

export function navigate(to: string, { replace = false } = {}): void {
  if (to === currentPath()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** A real link (it opens in a new tab, shows its address) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
