import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createAuditTestApp, type AuditTestApp } from './test-support';

let t: AuditTestApp;
beforeAll(async () => {
  t = await createAuditTestApp();
});
afterAll(async () => {
  await t.close();
});

const meta = { actorId: 'writer', actorRole: 'admin', correlationId: 'feed-test' };
const feed = async (query: string, key = t.keys.auditor) => {
  const r = await t.app.inject({ method: 'GET', url: `/v1/events?${query}`, headers: { authorization: `Bearer ${key}` } });
  return { status: r.statusCode, body: r.json() as { events: { position: number; eventId: string; type: string; streamId: string; data: any }[]; next: number } };
};

describe('global feed', () => {
  it('a client following the feed while 16 writers append sees every event once, in order', async () => {
    const WRITERS = 16;
    const PER_WRITER = 25;
    const total = WRITERS * PER_WRITER;
    const seen: { position: number; eventId: string }[] = [];
    let after = 0;
    let writing = true;
    const follower = (async () => {
      while (seen.length < total) {
        const { status, body } = await feed(`after=${after}&limit=50&wait=${writing ? 2 : 1}&types=Tick`);
        expect(status).toBe(200);
        seen.push(...body.events);
        after = body.next;
        if (!writing && body.events.length === 0) break;
      }
    })();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < PER_WRITER; i++) {
          // One stream per writer, one transaction per event.
          await t.store.appendToStream(`feedtest-${w}`, [{ type: 'Tick', data: { w, i } }], { expectedVersion: 'any', metadata: meta });
        }
      }),
    );
    writing = false;
    await follower;
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(total);
    const positions = seen.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(total);
    // And the same as reading the whole feed afterwards.
    const { body } = await feed('after=0&limit=1000&types=Tick');
    expect(body.events.map((e) => e.eventId)).toEqual(seen.map((e) => e.eventId));
  });

  it('long polling returns as soon as an event commits, and a next cursor when none does', async () => {
    const { body: head } = await feed('after=0&limit=1000');
    const started = Date.now();
    const waiting = feed(`after=${head.next}&wait=10`);
    await new Promise((r) => setTimeout(r, 200));
    await t.store.appendToStream('feedtest-late', [{ type: 'Late', data: {} }], { expectedVersion: 'no_stream', metadata: meta });
    const { body } = await waiting;
    expect(body.events.map((e) => e.type)).toEqual(['Late']);
    expect(Date.now() - started).toBeLessThan(5000);
    const empty = await feed(`after=${body.next}&wait=0.3`);
    expect(empty.body).toEqual({ events: [], next: body.next });
  });

  it('issue 14: the feed answers { items, nextCursor } and follows its cursor; `after` keeps the deprecated shape', async () => {
    const page = async (query: string) => {
      const r = await t.app.inject({ method: 'GET', url: `/v1/events?${query}`, headers: { authorization: `Bearer ${t.keys.auditor}` } });
      expect(r.statusCode).toBe(200);
      return r.json() as { items: { position: number }[]; nextCursor: string };
    };
    const all = (await feed('after=0&limit=1000')).body.events.map((e) => e.position);
    const first = await page('limit=2');
    expect(first.items.map((e) => e.position)).toEqual(all.slice(0, 2));
    const second = await page(`limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.position)).toEqual(all.slice(2, 4));
    const bad = await t.app.inject({ method: 'GET', url: '/v1/events?after=0&cursor=x', headers: { authorization: `Bearer ${t.keys.auditor}` } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses other roles and waits over 30 s', async () => {
    expect((await feed('after=0', t.keys.analyst)).status).toBe(403);
    expect((await feed('after=0&wait=31')).status).toBe(400);
  });
});
