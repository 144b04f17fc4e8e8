import { z } from 'zod';
import { eventSchema, storedIsoDate, text, uuid } from '../shared/schemas';
import { actor, documentTarget, mediaType, sha256Hex, storageKey } from './commands';

const ids = { documentId: uuid, collaborativeId: uuid, agencyId: uuid.optional().describe('Set when the target belongs to one agency (its scope)') };
const file = { fileName: text(255), contentType: mediaType, size: z.number().int().positive(), sha256: sha256Hex, storageKey };

export const DocumentAttached = eventSchema({
  ...ids, target: documentTarget, ...file, description: text(2000).optional(), documentDate: storedIsoDate, uploadedBy: actor,
});
export const DocumentReplaced = eventSchema({ ...ids, ...file, previousStorageKey: storageKey, replacedBy: actor });
// Who removed it: the event's metadata (actorId, actorRole), as for every JSON command.
export const DocumentRemoved = eventSchema({ ...ids, storageKey, reason: text(2000) });

type D<T extends z.ZodType> = z.infer<T>;
export type DocumentEvent =
  | { type: 'DocumentAttached'; data: D<typeof DocumentAttached> }
  | { type: 'DocumentReplaced'; data: D<typeof DocumentReplaced> }
  | { type: 'DocumentRemoved'; data: D<typeof DocumentRemoved> };

export const documentEvents = {
  DocumentAttached: { schema: DocumentAttached, schemaVersion: 1 },
  DocumentReplaced: { schema: DocumentReplaced, schemaVersion: 1 },
  DocumentRemoved: { schema: DocumentRemoved, schemaVersion: 1 },
};
