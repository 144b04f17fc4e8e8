// Issue 13: the absent list is computed by the UPDATE from both answers per agency; here the
// answers, applied as the statement applies them, against a Set applying the recording entry by
// entry (what the planner did before, and what meetingDetails still does).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { absentAfter, absentOps, applyAbsentOps } from './meeting-absent';


const agency = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');

describe('issue 13: a meeting\'s absent agencies from one statement', () => {
  it('issue 13: equal to a Set applying the entries one by one, for any list before and any recording (repeats included)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(agency), fc.array(fc.record({ agencyId: agency, present: fc.boolean() }), { maxLength: 12 }), (before, entries) => {
        expect(applyAbsentOps(before, absentOps(entries))).toEqual(absentAfter(before, entries));
      }),
      { numRuns: 2000 },
    );
  });

  it('issue 13: an agency absent before, present then absent again, moves to the end', () => {
    const entries = [{ agencyId: 'a', present: true }, { agencyId: 'c', present: false }, { agencyId: 'a', present: false }];
    expect(applyAbsentOps(['a', 'b'], absentOps(entries))).toEqual(['b', 'c', 'a']);
  });
});
