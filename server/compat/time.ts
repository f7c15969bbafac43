// The seeds' time formats (SPEC.md, Time). "Local" is the zone in CHAT_TIMEZONE.
import { settings } from '../env';

type LocalParts = { year: string; month: string; day: string; hour: string; minute: string; second: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(ms: number, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return parts as LocalParts;
}

/** Minutes east of UTC in `timeZone` at that instant. */
function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Seed 000: `2020-11-20T12:01:51.000Z`. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Seed 001: `2020-02-17T10:14:28+08:00`. */
export function isoWithOffset(ms: number, timeZone = settings().timeZone): string {
  const p = localParts(ms, timeZone);
  const offset = offsetMinutes(ms, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}

/** Seeds 002, 003, 004: `2024-08-01 13:29:50`. */
export function localDateTime(ms: number, timeZone = settings().timeZone): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * Epoch ms of `YYYY-MM-DD HH:mm:ss` in local time, or of epoch seconds given as digits; null when
 * the text is neither.
 */
export function parseLocalDateTime(text: string, timeZone = settings().timeZone): number | null {
  if (/^\d{1,12}$/.test(text)) return Number(text) * 1000;
  const match = text.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  // The zone's offset at that moment; a second pass settles the hour around a DST change.
  let ms = asUtc - offsetMinutes(asUtc, timeZone) * 60_000;
  ms = asUtc - offsetMinutes(ms, timeZone) * 60_000;
  return ms;
}
