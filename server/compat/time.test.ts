import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoUtc, isoWithOffset, localDateTime, parseLocalDateTime } from './time';

const instant = Date.UTC(2020, 1, 17, 2, 14, 28); // 2020-02-17 10:14:28 in Shanghai

test('each seed’s format, in the configured zone', () => {
  assert.equal(isoUtc(instant), '2020-02-17T02:14:28.000Z');
  assert.equal(isoWithOffset(instant, 'Asia/Shanghai'), '2020-02-17T10:14:28+08:00');
  assert.equal(isoWithOffset(instant, 'America/New_York'), '2020-02-16T21:14:28-05:00');
  assert.equal(localDateTime(instant, 'Asia/Shanghai'), '2020-02-17 10:14:28');
  assert.equal(localDateTime(instant, 'UTC'), '2020-02-17 02:14:28');
  // Milliseconds are cut, not rounded, on both sides of 1970; the day turns at local midnight.
  assert.equal(localDateTime(instant + 999, 'UTC'), '2020-02-17 02:14:28');
  for (const ms of [instant + 7, instant + 999, -1500, 0, Date.UTC(2020, 1, 16, 23, 59, 59, 999)]) assert.equal(isoUtc(ms), new Date(ms).toISOString());
  assert.equal(localDateTime(-1500, 'UTC'), '1969-12-31 23:59:58');
  assert.equal(localDateTime(Date.UTC(2020, 1, 16, 15, 59, 59), 'Asia/Shanghai'), '2020-02-16 23:59:59');
  assert.equal(isoWithOffset(Date.UTC(2020, 1, 16, 16), 'Asia/Shanghai'), '2020-02-17T00:00:00+08:00');
});

test('local times and epoch seconds parse back to the same instant; nonsense is null', () => {
  assert.equal(parseLocalDateTime('2020-02-17 10:14:28', 'Asia/Shanghai'), instant);
  assert.equal(parseLocalDateTime(String(instant / 1000), 'Asia/Shanghai'), instant);
  assert.equal(parseLocalDateTime('2020-07-01 12:00:00', 'Europe/Berlin'), Date.UTC(2020, 6, 1, 10));
  for (const bad of ['2020-02-30 10:00:00', '2020-02-17', 'yesterday', '2020-02-17 25:00:00', '']) {
    assert.equal(parseLocalDateTime(bad, 'Asia/Shanghai'), null, bad);
  }
});

test('times on both sides of a zone’s change of offset, in the same UTC hour or not', () => {
  // New York springs forward at 07:00 UTC: 01:59:59 is followed by 03:00:00.
  assert.equal(localDateTime(Date.UTC(2020, 2, 8, 6, 59, 59), 'America/New_York'), '2020-03-08 01:59:59');
  assert.equal(localDateTime(Date.UTC(2020, 2, 8, 7, 0, 0), 'America/New_York'), '2020-03-08 03:00:00');
  assert.equal(isoWithOffset(Date.UTC(2020, 2, 8, 7, 0, 0), 'America/New_York'), '2020-03-08T03:00:00-04:00');
  // Kathmandu moved from +05:30 to +05:45 at 18:30 UTC, halfway through an hour.
  assert.equal(isoWithOffset(Date.UTC(1985, 11, 31, 18, 29, 59), 'Asia/Kathmandu'), '1985-12-31T23:59:59+05:30');
  assert.equal(isoWithOffset(Date.UTC(1985, 11, 31, 18, 30, 0), 'Asia/Kathmandu'), '1986-01-01T00:15:00+05:45');
  assert.equal(localDateTime(Date.UTC(1985, 11, 31, 18, 45, 0), 'Asia/Kathmandu'), '1986-01-01 00:30:00');
});
