// Issue 15.7 (Must show), the pediatric collaborative (pediatric-story.ts): the coach's review queue,
// due quarters with the contact to chase, and the assessment history an agency reads.
import { describe, expect, it } from '@jest/globals';
import { COACH, PRACTICES, get, usePediatricStory } from './pediatric-story';

usePediatricStory();

describe('issue 15.7: coach review of a pediatric collaborative', () => {
  it('issue 15.7: coach review: submissions awaiting assessment, due periods with the contact to chase, the assessment history visible to the agency', async () => {
    const waiting = (await get('coach', '/submissions?awaitingAssessment=true&period=2025-Q2')).json();
    expect(waiting.items.map((s: { agencyId: string }) => s.agencyId)).toEqual([PRACTICES[2]]);
    const corrected = (await get('coach', `/submissions?agencyId=${PRACTICES[1]}&period=2025-Q2`)).json().items[0];
    expect([corrected.corrections, corrected.values.lead_screening]).toEqual([1, { numerator: 20, denominator: 41 }]);
    const due = (await get('coach', '/submissions/due?today=2025-10-15')).json();
    expect(due.items).toEqual([{ agencyId: PRACTICES[2], agencyName: 'Practice C', coachId: COACH, period: '2025-Q3', kind: 'quarterly', contact: { name: 'Morgan Leader', email: 'morgan.leader@example.org' }, draftSaved: false }]);
    const history = await get(0, `/agencies/${PRACTICES[0]}/assessments`);
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual([expect.objectContaining({ period: '2025-Q2', coachId: COACH, score: 3.5, comment: 'Lead testing adopted; rates rising' })]);
    expect((await get(0, `/agencies/${PRACTICES[1]}/assessments`)).statusCode).toBe(403);
  });
});
