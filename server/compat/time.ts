// The seeds' time formats (SPEC.md, Time). "Local" is the zone in CHAT_TIMEZONE.
import { settings } from '../env';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC in ms at that instant (to the second), from its local wall clock. */
function exactOffsetMs(ms: number, timeZone: string): number {
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
  const p = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const HOUR_MS = 3_600_000;
/** Per zone: the offset of each UTC hour it stayed constant through (see offsetMs). */
const hourOffsets = new Map<string, Map<number, number>>();
/** Bounds the cache; a chat list spans far fewer hours. */
const MAX_CACHED_HOURS = 100_000;

/**
 * The zone's offset in ms at that instant. formatToParts costs tens of µs, and a chat list
 * formats thousands of times, so the offset is kept per UTC hour: when it is the same at both
 * ends of the hour, no transition falls inside it (zones change at most once an hour).
 */
function offsetMs(ms: number, timeZone: string): number {
  let hours = hourOffsets.get(timeZone);
  if (!hours) hourOffsets.set(timeZone, (hours = new Map()));
  const hour = Math.floor(ms / HOUR_MS);
  const cached = hours.get(hour);
  if (cached !== undefined) return cached;
  const atStart = exactOffsetMs(hour * HOUR_MS, timeZone);
  if (atStart !== exactOffsetMs(hour * HOUR_MS + HOUR_MS - 1000, timeZone)) return exactOffsetMs(ms, timeZone);
  if (hours.size >= MAX_CACHED_HOURS) hours.clear();
  hours.set(hour, atStart);
  return atStart;
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** `YYYY-MM-DD` of each wall-clock day formatted so far (a list spans few days); bounded like hourOffsets. */
const dayTexts = new Map<number, string>();

/**
 * `YYYY-MM-DD<separator>HH:mm:ss` of `wallMs`, whole seconds on a wall clock read as UTC. Only the
 * date goes through Date (once a day); the time of day is arithmetic: a chat list formats
 * thousands of times, and toISOString alone cost more than the rest of each.
 */
function wallClockText(wallMs: number, separator: 'T' | ' '): string {
  const day = Math.floor(wallMs / DAY_MS);
  let date = dayTexts.get(day);
  if (date === undefined) {
    if (dayTexts.size >= MAX_CACHED_HOURS) dayTexts.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayTexts.set(day, date);
  }
  const seconds = (wallMs - day * DAY_MS) / 1000;
  return `${date}${separator}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
}

/** The wall clock in `timeZone` at that instant, to the second. */
function localIso(ms: number, timeZone: string, separator: 'T' | ' '): string {
  return wallClockText(Math.floor(ms / 1000) * 1000 + offsetMs(ms, timeZone), separator);
}

/** Minutes east of UTC in `timeZone` at that instant. */
function offsetMinutes(ms: number, timeZone: string): number {
  return Math.round(offsetMs(ms, timeZone) / 60_000);
}

/** Seed 000: `2020-11-20T12:01:51.000Z`. */
export function isoUtc(ms: number): string {
  const seconds = Math.floor(ms / 1000) * 1000;
  return `${wallClockText(seconds, 'T')}.${String(ms - seconds).padStart(3, '0')}Z`;
}

/** Seed 001: `2020-02-17T10:14:28+08:00`. */
export function isoWithOffset(ms: number, timeZone = settings().timeZone): string {
  const offset = offsetMinutes(ms, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${localIso(ms, timeZone, 'T')}${sign}${hh}:${mm}`;
}

/** Seeds 002, 003, 004: `2024-08-01 13:29:50`. */
export function localDateTime(ms: number, timeZone = settings().timeZone): string {
  return localIso(ms, timeZone, ' ');
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
