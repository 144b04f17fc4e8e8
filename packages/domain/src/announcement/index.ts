import { streamIds } from '../shared/ids';
import type { AggregateDefinition } from '../shared/types';
import * as c from './commands';
import type { AnnouncementCommand } from './commands';
import { decideAnnouncement, type AnnouncementContext } from './decide';
import { announcementEvents, type AnnouncementEvent } from './events';
import { evolveAnnouncement, initialAnnouncementState, type AnnouncementState } from './state';

export const announcement: AggregateDefinition<AnnouncementState, AnnouncementCommand, AnnouncementEvent, AnnouncementContext> = {
  name: 'announcement',
  initialState: initialAnnouncementState,
  evolve: evolveAnnouncement,
  decide: decideAnnouncement,
  commands: {
    SendAnnouncement: {
      schema: c.SendAnnouncement,
      operationId: 'sendAnnouncement',
      description: 'Send an announcement by e-mail to an audience of the collaborative (all agencies, a cohort, Executive Sponsors, Change Leaders, stakeholders, mentors)',
      streamId: (d) => streamIds.announcement(d.announcementId),
      context: (d) => [{ key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(d.collaborativeId) }],
    },
  },
  events: announcementEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
