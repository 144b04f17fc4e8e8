import { describe, it, expect } from '@jest/globals';
import { LaunchCollaborative } from './commands';
import { CollaborativeLaunched } from './events';
import { NOW, launchData, launched } from '../shared/fixtures';
import { given } from '../shared/testing';
import { collaborative } from './index';

// Issue 18: a collaborative's time zone is set at launch (an IANA zone the runtime knows);
// launches stored before it carry none and read as UTC (the worker's default).
describe('issue 18: LaunchCollaborative timeZone', () => {
  it('given no collaborative, when launched in America/Chicago, then the launch records the zone', () =>
    given(collaborative, [], { now: NOW })
      .when({ type: 'LaunchCollaborative', data: { ...launchData, timeZone: 'America/Chicago' } })
      .then([{ ...launched, data: { ...launched.data, timeZone: 'America/Chicago' } }] as never));
  it('refuses a zone Intl does not know, naming the field', () => {
    const result = LaunchCollaborative.safeParse({ ...launchData, timeZone: 'Mars/Olympus_Mons' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['timeZone']);
  });
  it('reads a launch stored without a zone unchanged', () => {
    expect(CollaborativeLaunched.safeParse(launched.data).success).toBe(true);
    expect('timeZone' in launched.data).toBe(false);
  });
});
