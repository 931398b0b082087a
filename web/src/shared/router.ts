// Client-side navigation over the History API: the server answers every page path with the
// same index.html, and the page then draws what the path names.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

const snapshot = () => location.pathname + location.search;
function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The current path with its query string; re-renders on navigation.
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

// Lets a plain <a href> navigate without reloading, but leaves new-tab clicks alone.
export function linkClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean; preventDefault(): void }, to: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(to);
}
