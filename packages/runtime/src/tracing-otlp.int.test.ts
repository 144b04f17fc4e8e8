// issue 17: traces go to an OTLP collector named by the standard OTEL_EXPORTER_OTLP_ENDPOINT. A
// real HTTP server stands for the collector; the span and the service name arrive at /v1/traces.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { currentTraceparent, initTracing, inSpan, shutdownTracing, tracingEnabled } from './tracing';

const received: { url: string; contentType: string; body: string }[] = [];
let collector: Server;
const saved = { ...process.env };

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await shutdownTracing();
  process.env = saved;
  await new Promise((resolve) => collector.close(resolve));
});

describe('OTLP trace export', () => {
  it('issue 17: OTEL_EXPORTER_OTLP_ENDPOINT sends the spans (OTLP/HTTP JSON) with OTEL_SERVICE_NAME, flushed at shutdown', async () => {
    expect(tracingEnabled()).toBe(false);
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    process.env.OTEL_SERVICE_NAME = 'convene-otlp-test';
    delete process.env.OTEL_TRACES_EXPORTER;
    expect(initTracing({ serviceName: 'fallback-name' })).toBe(true);
    let traceparent: string | undefined;
    await inSpan('otlp test span', { attributes: { 'convene.test': 'yes' } }, async () => {
      traceparent = currentTraceparent();
    });
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await shutdownTracing();
    expect(tracingEnabled()).toBe(false);
    const traces = received.filter((r) => r.url === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]!.contentType).toMatch(/^application\/json/);
    const body = traces.map((r) => r.body).join('\n');
    expect(body).toContain('otlp test span');
    expect(body).toContain('convene-otlp-test');
    expect(body).not.toContain('fallback-name');
    // The trace id of the span sent is the one the traceparent carried (events' metadata).
    expect(body).toContain(traceparent!.split('-')[1]!);
  });
});
