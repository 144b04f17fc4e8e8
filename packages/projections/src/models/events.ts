import type { RecordedEvent } from '@convene/eventstore';
import type { ChangeProjectEvent, CollaborativeEvent, MeetingEvent, ParticipationEvent, SiteVisitEvent } from '@convene/domain';

export type DomainEvent = CollaborativeEvent | ParticipationEvent | ChangeProjectEvent | SiteVisitEvent | MeetingEvent;
export type EventType = DomainEvent['type'];
export type DataOf<T extends EventType> = Extract<DomainEvent, { type: T }>['data'];

/** The event as its domain type (the store validated it on the way in; upcasters bring old versions up). */
export const typed = (event: RecordedEvent): DomainEvent => ({ type: event.type, data: event.data }) as DomainEvent;

export const agencyKey = (collaborativeId: string, agencyId: string) => `${collaborativeId}_${agencyId}`;
