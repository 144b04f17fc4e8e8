// The cached formatters (render.ts) give what toLocaleString and a fresh Intl.DateTimeFormat gave,
// for any instant and zone, whichever zone was formatted before.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { day, utcOffset, when } from './render';

const ZONES = ['UTC', 'America/Chicago', 'America/New_York', 'America/Phoenix', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const uncachedWhen = (iso: string, timeZone: string) => {
  const at = new Date(iso);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return `${at.toLocaleString('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' })} ${timeZone} (${name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC')})`;
};

describe('times rendered in a zone', () => {
  it('are what an uncached formatter gives, in any order of zones and instants', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.constantFrom(...ZONES)), { minLength: 1, maxLength: 20 }), (calls) => {
        for (const [at, zone] of calls) expect(when(at.toISOString(), zone)).toBe(uncachedWhen(at.toISOString(), zone));
      }),
      { numRuns: 300 },
    );
  });

  it('business dates are what toLocaleDateString gave', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), (at) => {
        const iso = at.toISOString().slice(0, 10);
        expect(day(iso)).toBe(new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', dateStyle: 'full' }));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a zone Intl does not know, every time', () => {
    expect(() => when('2030-01-01T00:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => utcOffset(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});
