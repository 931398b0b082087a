// A list kept current by the live stream: a pushed or acted-on item replaces its row where it is
// (keeping fields the push leaves out), a new one goes on top, and one the list no longer shows
// (closed, resolved) leaves it.
export function mergeLive<T extends { id: number }>(list: T[], item: T, keep: (item: T) => boolean): T[] {
  const at = list.findIndex((x) => x.id === item.id);
  if (!keep(item)) return at < 0 ? list : list.filter((x) => x.id !== item.id);
  if (at < 0) return [item, ...list];
  const copy = [...list];
  copy[at] = { ...list[at], ...item };
  return copy;
}
