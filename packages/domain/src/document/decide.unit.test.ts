import { describe, it } from '@jest/globals';
import { evolveChangeProject, initialChangeProjectState } from '../change-project/state';
import { evolveMeeting, initialMeetingState } from '../meeting/state';
import { A1, C1, COACH, M1, NOW, P1, V1, X1, activeA1, closedCollab, openCollab } from '../shared/fixtures';
import { given } from '../shared/testing';
import { evolveSiteVisit, initialSiteVisitState } from '../site-visit/state';
import type { DocumentContext } from './decide';
import type { DocumentEvent } from './events';
import { document } from './index';

const D1 = '99999999-9999-4999-8999-999999999991';
const by = { actorId: COACH, actorRole: 'coach' };
const file = { fileName: 'Walk-through report.pdf', contentType: 'application/pdf', size: 1024, sha256: 'a'.repeat(64), storageKey: `documents/${D1}/${'a'.repeat(64)}` };
const meeting = evolveMeeting(initialMeetingState(), {
  type: 'MeetingScheduled',
  data: { meetingId: M1, collaborativeId: C1, kind: 'learning_session', modality: 'in_person', startsAt: '2025-06-20T09:00:00.000Z', durationMinutes: 60, agenda: 'Kick-off', invitedAgencyIds: [A1] },
} as never);
const visit = evolveSiteVisit(initialSiteVisitState(), { type: 'SiteVisitScheduled', data: { visitId: V1, collaborativeId: C1, agencyId: A1, coachId: COACH, scheduledAt: '2025-06-20T09:00:00.000Z', agenda: 'Walk' } });
const project = evolveChangeProject(initialChangeProjectState(), {
  type: 'ChangeProjectStarted',
  data: { projectId: P1, collaborativeId: C1, agencyId: A1, aim: 'Cut the wait', startedOn: '2025-03-01', team: [] },
} as never);

const ctx: DocumentContext = { now: NOW, collaborative: openCollab };
const attach = (target: { kind: 'collaborative' | 'meeting' | 'site-visit' | 'agency' | 'change-project'; id: string }) => ({
  type: 'AttachDocument' as const,
  data: { documentId: D1, collaborativeId: C1, target, ...file, uploadedBy: by },
});
const attached = (target: { kind: 'collaborative' | 'meeting' | 'site-visit' | 'agency' | 'change-project'; id: string }, agencyId?: string): DocumentEvent => ({
  type: 'DocumentAttached',
  data: { documentId: D1, collaborativeId: C1, target, ...file, uploadedBy: by, documentDate: '2025-06-15', ...(agencyId ? { agencyId } : {}) },
});
const collabDoc = attached({ kind: 'collaborative', id: C1 });
const newFile = { ...file, fileName: 'Walk-through report v2.pdf', sha256: 'b'.repeat(64), storageKey: `documents/${D1}/${'b'.repeat(64)}` };

describe('document', () => {
  it('is attached to the collaborative, dated the day of upload by default', () =>
    given(document, [], ctx).when(attach({ kind: 'collaborative', id: C1 })).then([collabDoc]));
  it('keeps the business date and description given', () =>
    given(document, [], ctx)
      .when({ type: 'AttachDocument', data: { ...attach({ kind: 'collaborative', id: C1 }).data, documentDate: '2025-05-01', description: 'Roadmap' } })
      .then([{ type: 'DocumentAttached', data: { ...(collabDoc.data as Extract<DocumentEvent, { type: 'DocumentAttached' }>['data']), documentDate: '2025-05-01', description: 'Roadmap' } }]));
  it('is attached to a meeting (collaborative-wide: no agency)', () =>
    given(document, [], { ...ctx, target: meeting }).when(attach({ kind: 'meeting', id: M1 })).then([attached({ kind: 'meeting', id: M1 })]));
  it('attached to a site visit takes the visited agency as its scope', () =>
    given(document, [], { ...ctx, target: visit }).when(attach({ kind: 'site-visit', id: V1 })).then([attached({ kind: 'site-visit', id: V1 }, A1)]));
  it('attached to an agency takes that agency as its scope', () =>
    given(document, [], { ...ctx, target: activeA1 }).when(attach({ kind: 'agency', id: A1 })).then([attached({ kind: 'agency', id: A1 }, A1)]));
  it('attached to a change project takes the project\'s agency as its scope', () =>
    given(document, [], { ...ctx, target: project }).when(attach({ kind: 'change-project', id: P1 })).then([attached({ kind: 'change-project', id: P1 }, A1)]));
  it('issue 18: a meeting document for one invited agency is that agency\'s (its packet)', () =>
    given(document, [], { ...ctx, target: meeting })
      .when({ type: 'AttachDocument', data: { ...attach({ kind: 'meeting', id: M1 }).data, agencyId: A1 } })
      .then([attached({ kind: 'meeting', id: M1 }, A1)]));
  it('issue 18: is not for an agency the meeting did not invite, nor for one agency outside a meeting', () => {
    given(document, [], { ...ctx, target: meeting })
      .when({ type: 'AttachDocument', data: { ...attach({ kind: 'meeting', id: M1 }).data, agencyId: X1 } })
      .thenFails('document_agency_not_invited', 'unprocessable', 'agencyId');
    given(document, [], ctx)
      .when({ type: 'AttachDocument', data: { ...attach({ kind: 'collaborative', id: C1 }).data, agencyId: A1 } })
      .thenFails('document_agency_not_invited', 'unprocessable', 'agencyId');
    given(document, [], { ...ctx, target: visit })
      .when({ type: 'AttachDocument', data: { ...attach({ kind: 'site-visit', id: V1 }).data, agencyId: A1 } })
      .thenFails('document_agency_not_invited', 'unprocessable', 'agencyId');
  });
  it('is not attached to a target that does not exist', () =>
    given(document, [], { ...ctx, target: initialMeetingState() }).when(attach({ kind: 'meeting', id: M1 })).thenFails('target_not_found', 'unprocessable', 'target.id'));
  it('is not attached to another collaborative', () =>
    given(document, [], ctx).when(attach({ kind: 'collaborative', id: X1 })).thenFails('target_not_found', 'unprocessable', 'target.id'));
  it('is not attached to a target of another collaborative', () =>
    given(document, [], { ...ctx, target: { ...visit, collaborativeId: X1 } as never }).when(attach({ kind: 'site-visit', id: V1 })).thenFails('target_not_found', 'unprocessable', 'target.id'));
  it('is attached once', () => given(document, [collabDoc], ctx).when(attach({ kind: 'collaborative', id: C1 })).thenFails('document_exists', 'conflict', 'documentId'));
  it('is not attached in a closed collaborative', () =>
    given(document, [], { ...ctx, collaborative: closedCollab }).when(attach({ kind: 'collaborative', id: C1 })).thenFails('collaborative_closed', 'conflict'));

  it('is replaced by a new file, remembering the old key', () =>
    given(document, [collabDoc], ctx)
      .when({ type: 'ReplaceDocument', data: { documentId: D1, ...newFile, replacedBy: by } })
      .then([{ type: 'DocumentReplaced', data: { documentId: D1, collaborativeId: C1, ...newFile, replacedBy: by, previousStorageKey: file.storageKey } }]));
  it('is not replaced under the same key', () =>
    given(document, [collabDoc], ctx).when({ type: 'ReplaceDocument', data: { documentId: D1, ...file, replacedBy: by } }).thenFails('same_storage_key', 'conflict', 'storageKey'));
  it('is removed, naming the file to delete', () =>
    given(document, [attached({ kind: 'agency', id: A1 }, A1)], ctx)
      .when({ type: 'RemoveDocument', data: { documentId: D1, reason: 'Uploaded by mistake' } })
      .then([{ type: 'DocumentRemoved', data: { documentId: D1, collaborativeId: C1, agencyId: A1, storageKey: file.storageKey, reason: 'Uploaded by mistake' } }]));
  const removed: DocumentEvent = { type: 'DocumentRemoved', data: { documentId: D1, collaborativeId: C1, storageKey: file.storageKey, reason: 'Old' } };
  it('is removed once', () => given(document, [collabDoc, removed], ctx).when({ type: 'RemoveDocument', data: { documentId: D1, reason: 'Again' } }).thenFails('document_removed', 'conflict'));
  it('is not replaced once removed', () =>
    given(document, [collabDoc, removed], ctx).when({ type: 'ReplaceDocument', data: { documentId: D1, ...newFile, replacedBy: by } }).thenFails('document_removed', 'conflict'));
  it('is not removed when unknown', () => given(document, [], ctx).when({ type: 'RemoveDocument', data: { documentId: D1, reason: 'Again' } }).thenFails('document_not_found', 'not_found'));
});
