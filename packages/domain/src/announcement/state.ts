import type { AnnouncementEvent } from './events';

export type AnnouncementState = { status: 'none' } | { status: 'sent'; announcementId: string; collaborativeId: string };

export const initialAnnouncementState = (): AnnouncementState => ({ status: 'none' });

export const evolveAnnouncement = (_state: AnnouncementState, event: AnnouncementEvent): AnnouncementState => ({
  status: 'sent',
  announcementId: event.data.announcementId,
  collaborativeId: event.data.collaborativeId,
});
