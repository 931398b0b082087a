// A trajectory grouped by calendar day in the estates' zone, so that a passage at 23:30 and one
// at 00:10 fall on the days the residents would name, whatever the browser's zone.
import { zoneDate, zoneOffset } from '../shared/time';

export interface Passage {
  ts: string;
  kind: string;
  source: string;
  device_id: string;
  estate_id: number;
  event_id: string;
  result?: string | null;
  direction?: string | null;
  plate?: string | null;
  similarity?: number | null;
}

export interface Day {
  date: string;
  items: Passage[];
}

// Items arrive oldest first; the days keep that order.
export function byDay(items: readonly Passage[], offset = zoneOffset()): Day[] {
  const days: Day[] = [];
  for (const item of items) {
    const date = zoneDate(Date.parse(item.ts), offset);
    const last = days[days.length - 1];
    if (last && last.date === date) last.items.push(item);
    else days.push({ date, items: [item] });
  }
  return days;
}
