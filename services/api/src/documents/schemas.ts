// Document schemas: the multipart fields of an upload and the document resource.
import { documentTargetKinds, isoDate, text } from '@convene/domain';
import { z } from 'zod';
import { ALLOWED_DOCUMENT_TYPES } from './content';

const uuid = z.uuid();

/** The fields of POST .../documents, sent before the file part. */
export const UploadFieldsSchema = z.strictObject({
  documentId: uuid.optional().describe('Generated (uuid v7) when not supplied'),
  targetKind: z.enum(documentTargetKinds).describe('What the document is attached to'),
  targetId: uuid.describe('The collaborative, meeting, site visit, agency or change project'),
  description: text(2000).optional(),
  documentDate: isoDate.optional().describe('The business date of the document (default the day of upload)'),
});

/** The request body as documented (multipart/form-data; the file part last). */
export const UploadBodyDoc = z.object({
  ...UploadFieldsSchema.shape,
  file: z.string().meta({ format: 'binary' }).describe(`The file, last. Its part's Content-Type must be the file's real type, one of: ${ALLOWED_DOCUMENT_TYPES.join(', ')}`),
});
export const ReplaceBodyDoc = z.object({ file: UploadBodyDoc.shape.file });

const ActorSchema = z.object({ actorId: z.string(), actorRole: z.string() });

export const DocumentResourceSchema = z
  .object({
    documentId: z.string(), collaborativeId: z.string(), agencyId: z.string().nullable().describe('The agency whose document it is; null: collaborative-wide'),
    target: z.object({ kind: z.string().describe(documentTargetKinds.join(' | ')), id: z.string() }),
    fileName: z.string(), contentType: z.string().describe('As sniffed from the content'), size: z.number().int(), sha256: z.string(),
    description: z.string().nullable(), documentDate: z.string(), status: z.enum(['attached', 'removed']), version: z.number().int().describe('1, then +1 per replacement'),
    uploadedBy: ActorSchema, uploadedAt: z.string(),
    versions: z.array(z.object({ fileName: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string(), uploadedBy: ActorSchema, uploadedAt: z.string() })).describe('Earlier files (their content is deleted)'),
    removal: z.object({ reason: z.string(), at: z.string(), by: ActorSchema }).nullable(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Document',
    description: 'A file of the project binder. Its name and description are free text: not for analysts. The content is at `/v1/documents/{documentId}/content`.',
    examples: [{
      documentId: '0190f5c2-7a00-7000-8000-000000000d01', collaborativeId: '0190f5c2-7a00-7000-8000-000000000001', agencyId: '0190f5c2-7a00-7000-8000-000000001000',
      target: { kind: 'agency', id: '0190f5c2-7a00-7000-8000-000000001000' }, fileName: 'Walk-through report.pdf', contentType: 'application/pdf', size: 182734,
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'Walk-through of intake, March', documentDate: '2025-03-12',
      status: 'attached', version: 1, uploadedBy: { actorId: '0190f5c2-7a00-7000-8000-00000000c0ac', actorRole: 'coach' }, uploadedAt: '2025-03-12T15:04:05.000Z',
      versions: [], removal: null, updatedAt: '2025-03-12T15:04:05.000Z',
    }],
  });
