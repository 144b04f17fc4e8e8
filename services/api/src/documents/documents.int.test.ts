// Issue 18 (documents, the project binder) over HTTP: the same upload/download suite on the
// local disk and on S3 (a real S3-compatible server in the process); refusals of a file over the
// limit and of a file whose content is not its declared type; scope of agency keys.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { multipart, PDF, PNG, type FilePart } from './test-helpers';
import { testStores, type TestStore } from './test-support';

const C = '0190f100-0000-7000-8000-0000000000c1';
const K = '0190f100-0000-7000-8000-0000000000c2';
const A1 = '0190f100-0000-7000-8000-0000000000a1';
const A2 = '0190f100-0000-7000-8000-0000000000a2';
const COACH = '0190f100-0000-7000-8000-0000000000b1';
const MAX = 64 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(testStores)('issue 18: the binder over HTTP on %s', (_name, make) => {
  let t: TestApp;
  let s: TestStore;
  let projector: RunningProjector;
  const k: Record<string, string> = {};

  const send = (method: 'POST' | 'PUT', url: string, key: string, body: ReturnType<typeof multipart>, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${key}`, 'content-type': body.contentType, ...headers }, payload: body.payload });
  const get = (url: string, key: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });
  const at = (url: string, position: unknown) => `${url}${url.includes('?') ? '&' : '?'}consistentWith=${String(position)}`;
  const upload = (key: string, fields: Record<string, string>, file: FilePart) => send('POST', `/v1/collaboratives/${C}/documents`, key, multipart(fields, file));
  const eventCount = async () => Number((await t.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);

  beforeAll(async () => {
    s = await make();
    t = await createTestApp({ documentStore: s.store }, { DOCUMENT_MAX_BYTES: String(MAX) });
    const admin = { authorization: `Bearer ${t.adminKey}` };
    const person = (personId: string, name: string) => ({ personId, name, email: 'p@example.org' });
    const seed = async (url: string, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url, headers: admin, payload });
      expect([url, res.statusCode]).toEqual([url, expect.any(Number)]);
      expect(res.statusCode).toBeLessThan(300);
    };
    await seed('/v1/collaboratives', {
      collaborativeId: C, name: 'Binder', aim: 'Binder', convener: { organizationName: 'State', contact: person('0190f100-0000-7000-8000-0000000000d1', 'Casey') },
      focusMeasures: ['admissions'], startsOn: '2025-01-01', endsOn: '2025-12-31', meetingCadence: 'monthly',
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
    });
    await seed(`/v1/collaboratives/${C}/cohorts`, { cohortId: K, name: 'One', startsOn: '2025-02-01', capacity: 10 });
    await seed(`/v1/collaboratives/${C}/system-roles`, { role: 'coach', person: person(COACH, 'Chris') });
    for (const a of [A1, A2]) {
      await seed(`/v1/collaboratives/${C}/applications`, { agencyId: a, agencyName: `Agency ${a.slice(-2)}`, contact: { name: 'Dee', email: 'd@example.org' }, proposal: 'Shorter waits' });
      await seed(`/v1/collaboratives/${C}/agencies/${a}/admission`, { cohortId: K });
    }
    const scope = { collaborativeIds: [C] };
    k.coach = await t.createKey({ name: 'coach', role: 'coach', actorId: COACH, ...scope, agencyIds: [A1] });
    k.agency1 = await t.createKey({ name: 'agency 1', role: 'agency', ...scope, agencyIds: [A1] });
    k.agency2 = await t.createKey({ name: 'agency 2', role: 'agency', ...scope, agencyIds: [A2] });
    k.analyst = await t.createKey({ name: 'analyst', role: 'analyst', ...scope });
    k.auditor = await t.createKey({ name: 'auditor', role: 'auditor', ...scope });
    projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  }, 60_000);
  afterAll(async () => {
    await projector?.stop();
    await t?.close();
    await s?.close();
  });

  it('issue 18: an upload round-trips: 201 Location -> metadata 200, content byte for byte with Content-Type, Content-Disposition and ETag; If-None-Match -> 304', async () => {
    const res = await upload(k.agency1!, { targetKind: 'agency', targetId: A1, description: 'Walk-through of intake', documentDate: '2025-03-12' }, { name: 'Walk-through – März.pdf', type: 'application/pdf', data: PDF });
    expect(res.statusCode).toBe(201);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/v1\/documents\/[0-9a-f-]{36}$/);
    const meta = await get(at(location, res.headers['convene-position']), k.agency1!);
    expect(meta.statusCode).toBe(200);
    expect(meta.json()).toMatchObject({
      collaborativeId: C, agencyId: A1, target: { kind: 'agency', id: A1 }, fileName: 'Walk-through – März.pdf', contentType: 'application/pdf',
      size: PDF.length, sha256: sha(PDF), description: 'Walk-through of intake', documentDate: '2025-03-12', status: 'attached', version: 1,
      uploadedBy: { actorRole: 'agency' },
    });
    const content = await get(`${location}/content`, k.coach!);
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(PDF)).toBe(true);
    expect(content.headers['content-type']).toBe('application/pdf');
    expect(content.headers['content-length']).toBe(String(PDF.length));
    expect(content.headers['content-disposition']).toBe(`attachment; filename="Walk-through _ M_rz.pdf"; filename*=UTF-8''Walk-through%20%E2%80%93%20M%C3%A4rz.pdf`);
    expect(content.headers.etag).toBe(`"${sha(PDF)}"`);
    const again = await get(`${location}/content`, k.agency1!, { 'if-none-match': `"${sha(PDF)}"` });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('issue 18: the binder lists a collaborative\'s documents with filters (target, type, date range), scoped per key', async () => {
    const meeting = await upload(t.adminKey, { targetKind: 'collaborative', targetId: C, documentDate: '2025-04-01' }, { name: 'roadmap.png', type: 'image/png', data: PNG });
    expect(meeting.statusCode).toBe(201);
    const a2 = await upload(k.agency2!, { targetKind: 'agency', targetId: A2, documentDate: '2025-05-01' }, { name: 'a2.csv', type: 'text/csv', data: Buffer.from('month,admissions\n2025-03,12\n') });
    expect(a2.statusCode).toBe(201);
    const p = a2.headers['convene-position'];
    const list = async (key: string, query = '') => {
      const res = await get(at(`/v1/collaboratives/${C}/documents${query}`, p), key);
      expect(res.statusCode).toBe(200);
      return (res.json() as { items: { fileName: string; documentDate: string }[] }).items.map((d) => d.fileName);
    };
    expect(await list(t.adminKey)).toEqual(['a2.csv', 'roadmap.png', 'Walk-through – März.pdf']); // newest business date first
    expect(await list(t.adminKey, '?sort=documentDate')).toEqual(['Walk-through – März.pdf', 'roadmap.png', 'a2.csv']);
    expect(await list(t.adminKey, '?targetKind=collaborative')).toEqual(['roadmap.png']);
    expect(await list(t.adminKey, `?targetKind=agency&targetId=${A2}`)).toEqual(['a2.csv']);
    expect(await list(t.adminKey, '?contentType=text/csv')).toEqual(['a2.csv']);
    expect(await list(t.adminKey, '?from=2025-03-15&to=2025-04-30')).toEqual(['roadmap.png']);
    // An agency key: its own and the collaborative-wide ones; a coach of A1: the same; the auditor: all.
    expect(await list(k.agency1!)).toEqual(['roadmap.png', 'Walk-through – März.pdf']);
    expect(await list(k.coach!)).toEqual(['roadmap.png', 'Walk-through – März.pdf']);
    expect(await list(k.auditor!)).toHaveLength(3);
    expect((await get(`/v1/collaboratives/${C}/documents`, k.analyst!)).statusCode).toBe(403);
    expect((await get(`/v1/collaboratives/${C}/documents?agencyId=${A2}`, k.agency1!)).statusCode).toBe(403);
    expect((await get(`/v1/collaboratives/${C}/documents?color=red`, t.adminKey)).statusCode).toBe(400);
  });

  it('issue 18: an agency key cannot download, read or remove another agency\'s document, nor upload to it (403 out_of_scope)', async () => {
    const res = await upload(k.agency1!, { targetKind: 'agency', targetId: A1 }, { name: 'mine.pdf', type: 'application/pdf', data: PDF });
    expect(res.statusCode).toBe(201);
    const location = String(res.headers.location);
    const p = res.headers['convene-position'];
    for (const url of [`${location}/content`, location]) {
      const refused = await get(at(url, p), k.agency2!);
      expect([url, refused.statusCode, refused.json().code]).toEqual([url, 403, 'out_of_scope']);
    }
    const removal = await t.app.inject({ method: 'POST', url: `${location}/removal`, headers: { authorization: `Bearer ${k.agency2}` }, payload: { reason: 'Not mine' } });
    expect(removal.statusCode).toBe(403);
    const before = await eventCount();
    const into = await upload(k.agency2!, { targetKind: 'agency', targetId: A1 }, { name: 'x.pdf', type: 'application/pdf', data: PDF });
    expect(into.statusCode).toBe(403);
    // Collaborative-wide documents are the convener's and coaches': an agency key does not upload them.
    const wide = await upload(k.agency2!, { targetKind: 'collaborative', targetId: C }, { name: 'x.pdf', type: 'application/pdf', data: PDF });
    expect(wide.statusCode).toBe(403);
    expect(await eventCount()).toBe(before);
    // The analyst reads no document (file names and contents are free text).
    expect((await get(at(`${location}/content`, p), k.analyst!)).statusCode).toBe(403);
  });

  it('issue 18: a file over DOCUMENT_MAX_BYTES is refused 413 naming body.file, and nothing is stored', async () => {
    const before = await eventCount();
    const big = Buffer.concat([PDF, Buffer.alloc(MAX, 0x20)]);
    const res = await upload(t.adminKey, { targetKind: 'collaborative', targetId: C, documentId: '0190f100-0000-7000-8000-0000000000f1' }, { name: 'big.pdf', type: 'application/pdf', data: big });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'document_too_large', errors: [{ path: 'body.file' }] });
    expect(await eventCount()).toBe(before);
  });

  it('issue 18: a file whose content is not its declared type is refused 415 naming body.file (PNG sent as PDF, binary sent as text, an unaccepted type)', async () => {
    const before = await eventCount();
    const cases: [FilePart, string][] = [
      [{ name: 'slides.pdf', type: 'application/pdf', data: PNG }, 'content_type_mismatch'],
      [{ name: 'notes.txt', type: 'text/plain', data: Buffer.from([0x68, 0x69, 0x00, 0x01, 0x02]) }, 'content_type_mismatch'],
      [{ name: 'notes.csv', type: 'text/csv', data: Buffer.from([0x61, 0xff, 0xfe, 0x62]) }, 'content_type_mismatch'],
      [{ name: 'run.sh', type: 'application/x-sh', data: Buffer.from('#!/bin/sh\necho hi\n') }, 'unsupported_document_type'],
      [{ name: 'looks-like.png', type: 'image/png', data: PDF }, 'content_type_mismatch'],
    ];
    for (const [file, code] of cases) {
      const res = await upload(t.adminKey, { targetKind: 'collaborative', targetId: C }, file);
      expect([file.name, res.statusCode, res.json().code, res.json().errors?.[0]?.path]).toEqual([file.name, 415, code, 'body.file']);
    }
    expect(await eventCount()).toBe(before);
  });

  it('issue 18: bad fields are 400s naming them; a target of another collaborative is 422 naming body.targetId', async () => {
    const file = { name: 'a.pdf', type: 'application/pdf', data: PDF };
    const unknown = await upload(t.adminKey, { targetKind: 'collaborative', targetId: C, color: 'red' }, file);
    expect([unknown.statusCode, unknown.json().errors?.[0]?.path]).toEqual([400, 'body.color']);
    const kind = await upload(t.adminKey, { targetKind: 'planet', targetId: C }, file);
    expect([kind.statusCode, kind.json().errors?.[0]?.path]).toEqual([400, 'body.targetKind']);
    const noFile = await send('POST', `/v1/collaboratives/${C}/documents`, t.adminKey, multipart({ targetKind: 'collaborative', targetId: C }));
    expect([noFile.statusCode, noFile.json().errors?.[0]?.path]).toEqual([400, 'body.file']);
    const late = await send('POST', `/v1/collaboratives/${C}/documents`, t.adminKey, multipart({ targetKind: 'collaborative' }, file, { targetId: C }));
    expect([late.statusCode, late.json().errors?.[0]?.path]).toEqual([400, 'body.targetId']);
    const json = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/documents`, headers: { authorization: `Bearer ${t.adminKey}` }, payload: { targetKind: 'collaborative' } });
    expect(json.statusCode).toBe(415);
    const missing = await upload(t.adminKey, { targetKind: 'meeting', targetId: '0190f100-0000-7000-8000-0000000000ee' }, file);
    expect([missing.statusCode, missing.json().errors?.[0]?.path]).toEqual([422, 'body.targetId']);
  });

  it('issue 18: replacing and removing: the new file is served, the old one and then the removed one leave the store; Idempotency-Key replays one upload', async () => {
    const first = await upload(k.coach!, { targetKind: 'agency', targetId: A1 }, { name: 'flow.pdf', type: 'application/pdf', data: PDF });
    const location = String(first.headers.location);
    const documentId = location.split('/').pop()!;
    const v1 = await t.eventStore.readStream(`document-${documentId}`);
    const firstKey = (v1.events[0]!.data as { storageKey: string }).storageKey;
    const replaced = await send('PUT', `${location}/content`, k.coach!, multipart({}, { name: 'flow.png', type: 'image/png', data: PNG }));
    expect(replaced.statusCode).toBe(200);
    expect(await s.store.get(firstKey)).toBeNull(); // deleted before the answer
    const content = await get(at(`${location}/content`, replaced.headers['convene-position']), k.agency1!);
    expect([content.statusCode, content.headers['content-type'], content.rawPayload.equals(PNG)]).toEqual([200, 'image/png', true]);
    const meta = (await get(location, k.agency1!)).json();
    expect(meta).toMatchObject({ version: 2, fileName: 'flow.png', versions: [{ fileName: 'flow.pdf', sha256: sha(PDF) }] });

    const removed = await t.app.inject({ method: 'POST', url: `${location}/removal`, headers: { authorization: `Bearer ${k.agency1}` }, payload: { reason: 'Superseded' } });
    expect(removed.statusCode).toBe(200);
    const secondKey = ((await t.eventStore.readStream(`document-${documentId}`)).events[1]!.data as { storageKey: string }).storageKey;
    expect(await s.store.get(secondKey)).toBeNull();
    const gone = await get(at(`${location}/content`, removed.headers['convene-position']), k.agency1!);
    expect([gone.statusCode, gone.json().code]).toEqual([410, 'document_removed']);

    const once = { 'idempotency-key': `upload-${documentId}` };
    const body = multipart({ targetKind: 'collaborative', targetId: C }, { name: 'agenda.pdf', type: 'application/pdf', data: PDF });
    const a = await send('POST', `/v1/collaboratives/${C}/documents`, t.adminKey, body, once);
    const b = await send('POST', `/v1/collaboratives/${C}/documents`, t.adminKey, body, once);
    expect([a.statusCode, b.statusCode, b.headers.location]).toEqual([201, 201, a.headers.location]);
    expect((await t.eventStore.readStream(`document-${String(a.headers.location).split('/').pop()}`)).events).toHaveLength(1);
  });
});

describe('issue 18: hostile multipart bodies are 4xx problems, never 5xx, and store nothing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { DOCUMENT_MAX_BYTES: String(MAX) });
  });
  afterAll(async () => t?.close());

  it('issue 18: truncated, boundary-less, NUL-bearing and over-long multipart requests answer 4xx problem+json', async () => {
    const good = multipart({ targetKind: 'collaborative', targetId: C }, { name: 'a.pdf', type: 'application/pdf', data: PDF });
    const cases: { name: string; payload: Buffer | string; contentType: string; headers?: Record<string, string> }[] = [
      { name: 'truncated', payload: good.payload.subarray(0, good.payload.length - 30), contentType: good.contentType },
      { name: 'no boundary', payload: good.payload, contentType: 'multipart/form-data' },
      { name: 'NUL in a field', ...multipart({ targetKind: 'collaborative', targetId: C, description: 'a\u0000b' }, { name: 'a.pdf', type: 'application/pdf', data: PDF }) },
      { name: 'NUL in the file name', ...multipart({ targetKind: 'collaborative', targetId: C }, { name: 'a\u0000.pdf', type: 'application/pdf', data: PDF }) },
      { name: 'empty file', ...multipart({ targetKind: 'collaborative', targetId: C }, { name: 'a.txt', type: 'text/plain', data: Buffer.alloc(0) }) },
      { name: 'too many fields', ...multipart(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x'])), { name: 'a.pdf', type: 'application/pdf', data: PDF }) },
      { name: 'declared length over the limit', payload: good.payload, contentType: good.contentType, headers: { 'content-length': String(MAX * 4) } },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: 'POST', url: `/v1/collaboratives/${C}/documents`, payload: c.payload,
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': c.contentType, ...(c.headers ?? {}) },
      });
      // The collaborative does not exist here: a well-formed upload ends in 404 after its checks; none may be a 5xx.
      expect([c.name, res.statusCode >= 400 && res.statusCode < 500]).toEqual([c.name, true]);
      expect([c.name, String(res.headers['content-type']).split(';')[0]]).toEqual([c.name, 'application/problem+json']);
    }
    expect(Number((await t.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n)).toBe(0);
  });
});
