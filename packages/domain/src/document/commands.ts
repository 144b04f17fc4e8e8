import { z } from 'zod';
import { commandSchema, isoDate, text, uuid } from '../shared/schemas';

/** What a document belongs to: the collaborative itself, a meeting, a site visit, an agency's participation, a change project. */
export const documentTargetKinds = ['collaborative', 'meeting', 'site-visit', 'agency', 'change-project'] as const;
export type DocumentTargetKind = (typeof documentTargetKinds)[number];
export const documentTarget = z
  .object({ kind: z.enum(documentTargetKinds), id: uuid.describe('The collaborative, meeting, site visit, agency or change project') })
  .strict();

/** A media type as the server sniffed it (`type/subtype`, lower case, no parameters). */
export const mediaType = z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/, 'Expected a media type type/subtype');
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a sha256 in lower-case hex');
/** The object store's key; written by the server, never by a client. */
export const storageKey = z.string().regex(/^[A-Za-z0-9/_.-]{1,512}$/, 'Expected an object key');
export const actor = z.object({ actorId: z.string().min(1).max(200), actorRole: z.string().min(1).max(50) }).strict();

/** The stored file: what the API measured while streaming it into the object store. */
const file = {
  fileName: text(255).describe('The name the file was uploaded under (free text: personal data rules apply)'),
  contentType: mediaType,
  size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  sha256: sha256Hex,
  storageKey,
};

// The API builds these from a multipart upload (services/api/src/documents): the file's facts and
// `uploadedBy` come from the server, not from a client's JSON.
export const AttachDocument = commandSchema({
  documentId: uuid,
  collaborativeId: uuid,
  target: documentTarget,
  ...file,
  description: text(2000).optional(),
  documentDate: isoDate.optional().describe('The business date of the document (the meeting day, the report date); default the day of upload'),
  // Issue 18: a meeting's document for one invited agency only (its meeting packet), so that it is
  // that agency's document (agency keys of other agencies cannot read it). Set by the worker.
  agencyId: uuid.optional().describe('Only with a meeting target: the invited agency the document is for; it is then that agency\'s document'),
  uploadedBy: actor,
});
export const ReplaceDocument = commandSchema({ documentId: uuid, ...file, replacedBy: actor });
export const RemoveDocument = commandSchema({ documentId: uuid, reason: text(2000).describe('Why it leaves the binder (kept in the history)') });

type D<T extends z.ZodType> = z.infer<T>;
export type DocumentCommand =
  | { type: 'AttachDocument'; data: D<typeof AttachDocument> }
  | { type: 'ReplaceDocument'; data: D<typeof ReplaceDocument> }
  | { type: 'RemoveDocument'; data: D<typeof RemoveDocument> };
