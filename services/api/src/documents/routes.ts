// The project binder over HTTP (issue 18): upload (multipart, streamed), replace, remove, the
// document's metadata, its content (streamed download), and a collaborative's binder with filters.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadCached, streamIds, type EventStorePort } from '@convene/domain';
import { getDocument, listDocuments } from '@convene/projections';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/plugin';
import { generatedId, handleCommand } from '../commands/execute';
import { commandRouteSchema, countCommand, problemResponses } from '../commands/plugin';
import { CommandHeadersSchema, commandSchemas } from '../commands/schemas';
import { ConsistencyQuerySchema } from '../http/consistency';
import { noneMatch } from '../http/etag';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { strictBool } from '../http/query';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { visibleAgencyIds } from '../http/scope';
import { isoDate, documentTargetKinds } from '@convene/domain';
import { assertMayChange, assertMayRead, contentDisposition, resolveTarget } from './access';
import { ALLOWED_DOCUMENT_TYPES } from './content';
import { DocumentResourceSchema, ReplaceBodyDoc, UploadBodyDoc, UploadFieldsSchema } from './schemas';
import { assertDeclaredLength, multipartLimits, multipartProblem, notMultipart, readUpload, receiveFile, type ReceivedFile } from './upload';
import { createDocumentStore, type DocumentStore } from './store';

const WRITERS = ['admin', 'coach', 'agency'] as const;
const DocParams = z.object({ documentId: uuid });
const uploadErrors = {
  ...problemResponses,
  413: { ...problemResponses[400], description: 'The file is larger than DOCUMENT_MAX_BYTES (`errors` names body.file)' },
  415: { ...problemResponses[400], description: 'Not multipart, or the file\'s content is not its declared type or not an accepted type (`errors` names body.file)' },
};

const actorOf = (request: FastifyRequest) => {
  const p = principalOf(request);
  return { actorId: p.actorId, actorRole: p.role };
};

/** After a command: delete the stored object unless an event of the document names it (refused, failed, or answered from an earlier retry). */
async function dropIfOrphan(app: FastifyInstance, store: DocumentStore, documentId: string, storageKey: string): Promise<void> {
  try {
    const { events } = await app.deps.eventStore.readStream(streamIds.document(documentId));
    if (events.some((e) => (e.data as { storageKey?: string }).storageKey === storageKey)) return;
    await store.delete(storageKey);
  } catch (error) {
    app.log.warn({ err: error, storageKey }, 'could not delete an unused document object');
  }
}

async function documentState(app: FastifyInstance, documentId: string) {
  const { state } = await loadCached(app.deps.eventStore as unknown as EventStorePort, app.deps.commandCache, 'document', streamIds.document(documentId), true);
  return state as { status: 'none' | 'attached' | 'removed'; collaborativeId?: string; agencyId?: string; storageKey?: string };
}

export function documentRoutes(): FastifyPluginAsyncZod {
  return async (app) => {
    const { deps } = app;
    const store = deps.documentStore ?? createDocumentStore(deps.config);
    const maxBytes = deps.config.DOCUMENT_MAX_BYTES;
    const consistent = consistentReads(app);
    await app.register(fastifyMultipart, { limits: multipartLimits(maxBytes), throwFileSizeLimit: true });
    // An S3 bucket is checked (and created where S3_CREATE_BUCKET says so) before the first upload.
    if (store.kind === 's3') app.addHook('onReady', () => store.check());

    /** Streams the upload into the store, runs the command, and drops the object if no event keeps it. */
    async function storeThen(request: FastifyRequest, documentId: string, file: ReceivedFile | undefined, run: () => Promise<unknown>) {
      try {
        await run();
      } finally {
        if (file) await dropIfOrphan(app, store, documentId, file.storageKey);
      }
    }

    const attach = commandSchemas.AttachDocument;
    app.post('/v1/collaboratives/:collaborativeId/documents', {
      schema: {
        operationId: attach.operationId, summary: attach.description, tags: ['documents'],
        description: `Command \`AttachDocument\`, sent as multipart/form-data: the fields, then one part named \`file\` whose Content-Type is the file's real type (checked against its content). At most DOCUMENT_MAX_BYTES. Coaches attach to their agencies' and collaborative-wide targets, agency keys to their own agency's (its walk-through report, its site visits, its change projects).`,
        consumes: ['multipart/form-data'], params: CollabParams, headers: CommandHeadersSchema,
        multipartBody: UploadBodyDoc,
        response: { 201: attach.resultSchema, ...uploadErrors },
      } as never,
      preHandler: [requireRole(...WRITERS)],
      onResponse: countCommand('AttachDocument'),
    }, async (request, reply) => {
      const { collaborativeId } = request.params as { collaborativeId: string };
      const principal = principalOf(request);
      if (!request.isMultipart()) throw notMultipart();
      assertDeclaredLength(request, maxBytes);
      const idemKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
      let file: ReceivedFile | undefined;
      let documentId = '';
      let body: Record<string, unknown> = {};
      let scope: { collaborativeId: string; agencyId?: string } | undefined;
      try {
        await readUpload(request, UploadFieldsSchema, async (fields, part) => {
          scope = await resolveTarget(app, collaborativeId, fields.targetKind, fields.targetId);
          assertMayChange(principal, scope);
          documentId = fields.documentId ?? generatedId(principal, 'AttachDocument', idemKey);
          file = await receiveFile(part, store, `collaboratives/${collaborativeId}/documents/${documentId}/${uuidv7()}`, maxBytes);
          const { targetKind, targetId, documentId: _id, ...rest } = fields;
          body = { ...rest, documentId, target: { kind: targetKind, id: targetId }, fileName: file.fileName, contentType: file.contentType, size: file.size, sha256: file.sha256 };
        });
      } catch (error) {
        if (file) await store.delete(file.storageKey).catch(() => undefined);
        throw multipartProblem(error, maxBytes);
      }
      // Idempotency-Key compares the client's fields and the file's hash, not the object key chosen here.
      await storeThen(request, documentId, file, () =>
        handleCommand(request, reply, attach, { collaborativeId }, { ...body, storageKey: file!.storageKey, uploadedBy: actorOf(request) }, request.headers, { fingerprintBody: body, ...(scope ? { scope } : {}) }),
      );
      return reply;
    });

    const replace = commandSchemas.ReplaceDocument;
    app.put('/v1/documents/:documentId/content', {
      schema: {
        operationId: replace.operationId, summary: replace.description, tags: ['documents'],
        description: 'Command `ReplaceDocument`, sent as multipart/form-data with one part named `file` (checked as on upload). The earlier file is deleted from the object store; its name, type, size and hash stay in `versions`.',
        consumes: ['multipart/form-data'], params: DocParams, headers: CommandHeadersSchema, multipartBody: ReplaceBodyDoc,
        response: { 200: replace.resultSchema, ...uploadErrors },
      } as never,
      preHandler: [requireRole(...WRITERS)],
      onResponse: countCommand('ReplaceDocument'),
    }, async (request, reply) => {
      const { documentId } = request.params as { documentId: string };
      const principal = principalOf(request);
      if (!request.isMultipart()) throw notMultipart();
      assertDeclaredLength(request, maxBytes);
      const before = await documentState(app, documentId);
      if (before.status === 'none' || !before.collaborativeId) throw notFound('document');
      const scope = before.agencyId ? { collaborativeId: before.collaborativeId, agencyId: before.agencyId } : { collaborativeId: before.collaborativeId };
      assertMayChange(principal, scope);
      let file: ReceivedFile | undefined;
      try {
        await readUpload(request, z.strictObject({}), async (_fields, part) => {
          file = await receiveFile(part, store, `collaboratives/${before.collaborativeId}/documents/${documentId}/${uuidv7()}`, maxBytes);
        });
      } catch (error) {
        if (file) await store.delete(file.storageKey).catch(() => undefined);
        throw multipartProblem(error, maxBytes);
      }
      const f = file!;
      const body = { fileName: f.fileName, contentType: f.contentType, size: f.size, sha256: f.sha256 };
      // The earlier file leaves the store once the replacement is recorded, before the answer.
      const dropOld = async () => {
        if (before.storageKey) await store.delete(before.storageKey).catch((err: unknown) => app.log.warn({ err }, 'could not delete a replaced document object'));
      };
      await storeThen(request, documentId, f, () =>
        handleCommand(request, reply, replace, { documentId }, { ...body, storageKey: f.storageKey, replacedBy: actorOf(request) }, request.headers, { fingerprintBody: body, scope, afterAppend: dropOld }),
      );
      return reply;
    });

    const remove = commandSchemas.RemoveDocument;
    app.route({
      method: 'POST', url: remove.spec.path,
      schema: { ...commandRouteSchema(remove), description: 'Command `RemoveDocument`. The file is deleted from the object store; the metadata history keeps that it was there.' },
      onResponse: countCommand('RemoveDocument'),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const { documentId } = request.params as { documentId: string };
        const before = await documentState(app, documentId);
        const dropFile = async () => {
          if (before.storageKey) await store.delete(before.storageKey).catch((err: unknown) => app.log.warn({ err }, 'could not delete a removed document object'));
        };
        await handleCommand(request, reply, remove, request.params as Record<string, unknown>, request.body as Record<string, unknown>, request.headers as never, { afterAppend: dropFile });
        return reply;
      },
    });

    app.get('/v1/documents/:documentId', {
      schema: {
        operationId: 'getDocument', summary: 'A document of the binder: what it is attached to, its file, versions and removal', tags: ['documents'],
        description: 'The document AttachDocument created (its Location). Readable by admins and auditors, coaches of its agency, its agency (and, for collaborative-wide documents, every agency of the collaborative); never analysts.',
        params: DocParams, querystring: ConsistencyQuerySchema, response: { 200: DocumentResourceSchema, ...readErrors },
      },
      preHandler: [requireRole(...READERS), consistent],
    }, async (request) => {
      const doc = await getDocument(deps.db, request.params.documentId);
      if (!doc) throw notFound('document');
      assertMayRead(principalOf(request), doc.resource);
      return doc.resource;
    });

    app.get('/v1/documents/:documentId/content', {
      schema: {
        operationId: 'downloadDocument', summary: 'The file of a document, streamed', tags: ['documents'],
        description: 'The bytes with the stored Content-Type (sniffed on upload), `Content-Disposition: attachment` with the file name, and a strong `ETag` (the sha256); `If-None-Match` answers 304. 410 once removed. Readable as the metadata is.',
        params: DocParams, querystring: ConsistencyQuerySchema,
        // The file itself, in the type stored on upload (one of the accepted ones), not JSON; `any`
        // to the type provider, as a stream is sent.
        produces: [...ALLOWED_DOCUMENT_TYPES],
        response: { 200: z.any().meta({ type: 'string', format: 'binary' }).describe('The file\'s bytes, in the type sniffed on upload'), ...readErrors, 410: { ...problemResponses[404], description: 'The document was removed' } },
      },
      preHandler: [requireRole(...READERS), consistent],
    }, async (request, reply) => {
      const doc = await getDocument(deps.db, request.params.documentId);
      if (!doc) throw notFound('document');
      const { resource } = doc;
      assertMayRead(principalOf(request), resource);
      if (resource.status === 'removed') throw new HttpProblem(410, 'document_removed', 'The document was removed');
      const etag = `"${resource.sha256}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (noneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
      const object = await store.get(doc.storageKey);
      // The read model may name a file a later replacement already deleted: the client retries with consistentWith.
      if (!object) throw new HttpProblem(404, 'document_content_not_found', 'The file is not in the object store (replaced since?); read the document again');
      return reply
        .type(resource.contentType)
        .header('content-length', String(object.size))
        .header('content-disposition', contentDisposition(resource.fileName))
        .header('x-content-type-options', 'nosniff')
        .send(object.body);
    });

    app.get('/v1/collaboratives/:collaborativeId/documents', {
      schema: {
        operationId: 'listDocuments', summary: 'The project binder: a collaborative\'s documents, filtered', tags: ['documents'],
        description: 'Filters: what a document is attached to (`targetKind`, `targetId`), `agencyId`, `contentType`, business date range (`from`, `to`, inclusive dates), `includeRemoved`. Sorted by business date, newest first, by default. Agency keys see their own agency\'s and the collaborative-wide documents, coaches with assigned agencies theirs and the collaborative-wide ones.',
        params: CollabParams,
        querystring: listQuery({ sorts: ['documentDate', 'fileName', 'uploadedAt'], defaultSort: '-documentDate' }).extend({
          targetKind: z.enum(documentTargetKinds).optional(), targetId: uuid.optional(), agencyId: uuid.optional(),
          contentType: z.enum(ALLOWED_DOCUMENT_TYPES).optional(),
          from: isoDate.optional().describe('Documents dated on or after'), to: isoDate.optional().describe('Documents dated on or before'),
          includeRemoved: strictBool().optional().describe('Also list removed documents (default false)'),
        }),
        response: { 200: pageSchema(DocumentResourceSchema), ...readErrors },
      },
      preHandler: [requireRole(...READERS), consistent],
    }, async (request) => {
      const { collaborativeId } = request.params;
      const principal = principalOf(request);
      const q = request.query;
      assertMayRead(principal, { collaborativeId, agencyId: q.agencyId ?? null });
      const visible = visibleAgencyIds(principal);
      const page = await listDocuments(deps.db, {
        collaborativeId, keyset: keysetOf(q), ...(visible ? { visibleAgencyIds: visible } : {}),
        ...(q.targetKind ? { targetKind: q.targetKind } : {}), ...(q.targetId ? { targetId: q.targetId } : {}), ...(q.agencyId ? { agencyId: q.agencyId } : {}),
        ...(q.contentType ? { contentType: q.contentType } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}),
        ...(q.includeRemoved ? { includeRemoved: true } : {}),
      });
      return listPage(q.sort, page);
    });
  };
}
