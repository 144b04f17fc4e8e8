import type { RecordedEvent } from '@convene/eventstore';

/**
 * Makes RecordedEvents for the pure folds of tests (foldProjection): one position after another
 * across every call of the maker, `data` merged over `o.data`, recorded one second apart from
 * 2025-01-01 unless `at` is given.
 */
export function eventMaker(o: { streamId?: string; streamType?: string; actorRole?: string; actorId?: string; data?: Record<string, unknown> } = {}) {
  let position = 0;
  return (type: string, data: unknown, at?: string, actorId = o.actorId ?? 'k'): RecordedEvent => {
    position++;
    const recordedAt = at ?? new Date(Date.UTC(2025, 0, 1, 0, 0, position)).toISOString();
    return {
      streamId: o.streamId ?? 's', streamType: o.streamType ?? 's', streamVersion: position, globalPosition: position, eventId: `e${position}`, type, schemaVersion: 1,
      data: o.data ? { ...o.data, ...(data as Record<string, unknown>) } : data,
      metadata: { actorId, actorRole: o.actorRole ?? 'admin', correlationId: 'c', eventId: `e${position}`, recordedAt, schemaVersion: 1, storedSchemaVersion: 1 },
      recordedAt: new Date(recordedAt),
    };
  };
}
