// Issue 17 (observability): /metrics moves with a command, and one trace runs from the HTTP request
// through the append to the projector's apply and the worker's send.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { EventStore } from '@convene/eventstore';
import { startProjector } from '@convene/projector';
import { initTracing, shutdownTracing } from '@convene/runtime';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers, type Workers } from '@convene/worker';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { scenario, TestClock, waitFor } from '../../worker/src/testing/scenario';
import { buildApp } from './app';
import { createApiKey } from './auth/keys';
import { loadConfig } from './config';

const exporter = new InMemorySpanExporter();
let database: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let workers: Workers;
let adminKey: string;
const clock = new TestClock(new Date('2030-06-01T09:00:00Z'));

beforeAll(async () => {
  // Before the app is built: the API adds its tracing hooks only when tracing is on.
  initTracing({ exporter });
  database = await createTestDatabase();
  store = new EventStore({ pool: database.pool });
  workers = startWorkers({
    pool: database.pool,
    store,
    redisUrl: testRedisUrl(),
    prefix: uniqueRedisPrefix('obs'),
    clock: clock.now,
    transport: nodemailer.createTransport({ jsonTransport: true }),
    tickIntervalMs: null,
  });
  app = await buildApp(
    { config: loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' }), pool: database.pool, db: database.db, eventStore: store, clock: clock.now },
    { logger: false },
  );
  await app.ready();
  adminKey = (await createApiKey(database.pool, { name: 'admin', role: 'admin' })).key;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await workers?.stop();
  await store?.close();
  await database?.drop();
  await shutdownTracing();
});

async function scrape(): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.body;
}
/** The value of one sample (name and exact label set as rendered), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
const launch = (collaborativeId: string) => ({
  collaborativeId,
  name: 'Metrics collaborative',
  aim: 'See the counters move',
  convener: { organizationName: 'State SUD agency', contact: { personId: crypto.randomUUID(), name: 'Connie Vener', email: 'convener@example.org' } },
  focusMeasures: ['waiting_time'],
  startsOn: '2030-01-01',
  endsOn: '2030-12-31',
  meetingCadence: 'monthly',
  measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
});

describe('observability', () => {
  it('issue 17: /metrics before and after a command shows the command, append and HTTP counters and the projection lag move', async () => {
    // The projector makes its live instances, catches up and stops: nothing applies the command.
    const projector = await startProjector({ pool: database.pool, store, pollIntervalMs: 50 });
    await projector.idle();
    await projector.stop();
    const before = await scrape();
    const commands = 'convene_commands_total{type="LaunchCollaborative",outcome="accepted"}';
    const appends = 'convene_append_duration_seconds_count{outcome="appended"}';
    const http = 'convene_http_request_duration_seconds_count{method="POST",route="/v1/collaboratives",status_code="201"}';
    const lag = 'convene_projection_lag_positions{projection="schedule"}';
    const lagSeconds = 'convene_projection_lag_seconds{projection="schedule"}';
    expect(sample(before, lag)).toBe(0);

    const res = await app.inject({
      method: 'POST',
      url: '/v1/collaboratives',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: launch(crypto.randomUUID()),
    });
    expect(res.statusCode).toBe(201);
    const refused = await app.inject({ method: 'POST', url: '/v1/collaboratives', headers: { authorization: `Bearer ${adminKey}` }, payload: { name: 'no id' } });
    expect(refused.statusCode).toBe(400);
    await new Promise((r) => setTimeout(r, 20)); // lag in seconds grows with the unapplied event's age

    const after = await scrape();
    expect(sample(after, commands) - sample(before, commands)).toBe(1);
    expect(sample(after, 'convene_commands_total{type="LaunchCollaborative",outcome="rejected"}') - sample(before, 'convene_commands_total{type="LaunchCollaborative",outcome="rejected"}')).toBe(1);
    expect(sample(after, appends) - sample(before, appends)).toBeGreaterThanOrEqual(1);
    expect(sample(after, http) - sample(before, http)).toBe(1);
    expect(sample(after, lag)).toBeGreaterThan(0);
    expect(sample(after, lagSeconds)).toBeGreaterThan(0);
    expect(after).toMatch(/^convene_outbox_deliveries\{state="due"\} \d+$/m);
    expect(after).toMatch(/^convene_build_info\{version="[^"]+",commit="[^"]+"\} 1$/m);

    // The projector catches up: the lag falls back to 0.
    const again = await startProjector({ pool: database.pool, store, pollIntervalMs: 50 });
    await again.idle();
    await again.stop();
    const caughtUp = await scrape();
    expect(sample(caughtUp, lag)).toBe(0);
    expect(sample(caughtUp, lagSeconds)).toBe(0);
  }, 60_000);

  it('issue 17: one trace from the HTTP request through the append to the projector apply and the worker send (W3C traceparent)', async () => {
    const s = scenario(store, clock);
    const [agency] = await s.launch(1);
    const startsAt = new Date('2030-06-03T15:00:00Z');
    const meetingId = await s.scheduleMeeting(startsAt, [agency!.agencyId]);
    clock.set(new Date(startsAt.getTime() + 2 * 3600_000));
    await s.run('RecordAttendance', { meetingId, attendance: [{ agencyId: agency!.agencyId, present: true, attendees: ['Leader 1'] }] });
    const projector = await startProjector({ pool: database.pool, store, pollIntervalMs: 50 });
    await projector.idle();
    exporter.reset();

    // The caller's trace: the API continues it.
    const traceId = randomBytes(16).toString('hex');
    const res = await app.inject({
      method: 'POST',
      url: `/v1/meetings/${meetingId}/minutes`,
      headers: { authorization: `Bearer ${adminKey}`, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      payload: { minutes: 'We reviewed walk-throughs. Next: intake PDSA.' },
    });
    expect(res.statusCode).toBe(200);
    await projector.idle();
    await projector.stop();
    await workers.tick(); // plans the minutes from the event and dispatches them
    const inTrace = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    await waitFor(() => inTrace().some((span) => span.name === 'worker.send'), 20_000, 'the send span');

    const spans = inTrace();
    const one = (name: string): ReadableSpan => {
      const found = spans.filter((span) => span.name === name);
      expect(found.length).toBeGreaterThan(0);
      return found[0]!;
    };
    const http = one('POST /v1/meetings/:meetingId/minutes');
    const append = one('eventstore.append');
    const apply = spans.find((span) => span.name === 'projection.apply' && span.attributes['convene.projection'] === 'schedule');
    const send = one('worker.send');
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    expect(parentOf(append)).toBe(http.spanContext().spanId);
    expect(apply).toBeDefined();
    expect(parentOf(apply!)).toBe(append.spanContext().spanId);
    expect(apply!.attributes['convene.event_type']).toBe('MinutesPublished');
    expect(parentOf(send)).toBe(append.spanContext().spanId);
    expect(send.attributes['convene.kind']).toBe('minutes');
    // The event itself carries the append span's traceparent.
    const { events } = await store.readStream(`meeting-${meetingId}`);
    expect(events.at(-1)!.metadata.traceparent).toBe(`00-${traceId}-${append.spanContext().spanId}-01`);
  }, 60_000);
});
