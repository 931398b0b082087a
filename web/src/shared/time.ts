// Times are shown in the estates' zone, not the browser's: the server writes every timestamp
// with its offset (UTC+8 unless configured otherwise), and the console keeps the one it saw.
const offsetKey = 'anju.utcOffset';
const defaultOffset = 8 * 60;

// "2026-11-23T09:30:00+08:00" -> 480; null when the text carries no offset.
export function offsetOf(timestamp: string): number | null {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(timestamp);
  if (match) return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  return /Z$/.test(timestamp) ? 0 : null;
}

export function rememberOffset(timestamp: string): void {
  const offset = offsetOf(timestamp);
  if (offset !== null) sessionStorage.setItem(offsetKey, String(offset));
}

export function zoneOffset(): number {
  if (typeof sessionStorage === 'undefined') return defaultOffset;
  const stored = sessionStorage.getItem(offsetKey);
  return stored === null ? defaultOffset : Number(stored);
}

const pad = (n: number) => String(n).padStart(2, '0');

// The wall-clock fields of an instant in the zone `offsetMinutes` east of UTC.
function wall(ms: number, offsetMinutes: number) {
  const d = new Date(ms + offsetMinutes * 60_000);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

// "2026-11-23 09:30" in the estates' zone; seconds when asked.
export function formatTime(
  timestamp: string | null | undefined,
  options: { seconds?: boolean; offset?: number } = {},
): string {
  if (!timestamp) return '—';
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return timestamp;
  const { date, time } = wall(ms, options.offset ?? zoneOffset());
  return `${date} ${options.seconds ? time : time.slice(0, 5)}`;
}

// The calendar date in the estates' zone ("2026-11-23") of an instant.
export function zoneDate(ms: number, offset = zoneOffset()): string {
  return wall(ms, offset).date;
}

// The last `days` calendar dates up to and including today's, oldest first.
export function lastDays(days: number, nowMs: number, offset = zoneOffset()): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(zoneDate(nowMs - i * 86_400_000, offset));
  return out;
}

// 75 -> "1:15", -5 -> "0:05"; the sign is the caller's to say in words.
export function clock(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

// A wall-clock time typed in the estates' zone ("2026-12-02T22:00", a datetime-local value) as
// the server reads it unambiguously: "2026-12-02T22:00:00+08:00".
export function zoneTimestamp(local: string, offset = zoneOffset()): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const seconds = local.length === 16 ? ':00' : '';
  return `${local}${seconds}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
