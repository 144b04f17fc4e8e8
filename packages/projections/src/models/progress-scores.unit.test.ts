import { describe, it, expect } from '@jest/globals';
import type { RecordedEvent } from '@convene/eventstore';
import { eventMaker } from '../testing/recorded-events';
import { foldProjection } from '../runtime/memory-store';
import { progressProjection } from './progress';

const C = '00000000-0000-7000-8000-000000000001';
const A = '00000000-0000-7000-8000-000000000002';
const R1 = '00000000-0000-7000-8000-000000000003';
const R2 = '00000000-0000-7000-8000-000000000004';
const ev = eventMaker({ streamId: `participation-${A}`, streamType: 'participation', actorRole: 'reviewer', data: { collaborativeId: C, agencyId: A } });
const scored = (reviewerId: string, total: number) => ev('ApplicationScored', { reviewerId, scores: [{ criterion: 'need', score: total }], total });
const corrected = (reviewerId: string, total: number) =>
  ev('ApplicationScoreCorrected', { reviewerId, scores: [{ criterion: 'need', score: total }], total, reason: 'Misread the rubric' });
const submitted = ev('ApplicationSubmitted', {
  agencyName: 'Riverside Recovery', contact: { name: 'Director', email: 'director@example.org' }, proposal: 'We will cut no-shows.', submittedAt: '2025-01-01T00:00:00Z',
});

const agencyOf = (events: RecordedEvent[]) => foldProjection(progressProjection, events).agencies![0]!;

describe('progress: application scores', () => {
  it('a score correction replaces its reviewer’s part of the agency’s total, not adds to it', () => {
    const before = agencyOf([submitted, scored(R1, 12), scored(R2, 20)]);
    expect([before.application_scores, before.application_score_total]).toEqual([2, 32]);

    const after = agencyOf([submitted, scored(R1, 12), scored(R2, 20), corrected(R1, 17)]);
    expect([after.application_scores, after.application_score_total]).toEqual([2, 37]);
  });

  it('a score corrected twice counts its last total once; the other reviewer’s stays', () => {
    const a = agencyOf([submitted, scored(R1, 12), scored(R2, 20), corrected(R2, 5), corrected(R2, 9)]);
    expect([a.application_scores, a.application_score_total]).toEqual([2, 21]);
  });

  it('a correction of a score the projection never saw changes nothing (no negative totals)', () => {
    const a = agencyOf([submitted, scored(R1, 12), corrected(R2, 30)]);
    expect([a.application_scores, a.application_score_total]).toEqual([1, 12]);
  });
});
