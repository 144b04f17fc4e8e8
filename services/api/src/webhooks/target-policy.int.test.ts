// Issue 12.9: webhooks never reach internal addresses (checked after resolution, at subscription
// and at every delivery's connect), never store what a receiver answers, and keep their secrets
// encrypted at rest.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { startWebhookDeliveries } from './deliveries';
import { loadWebhookSecretKey } from './secret-box';
import { verifySignature } from './signature';
import { createSubscription } from './subscriptions';
import { parseTargetPolicy, refusedAddress } from './target-policy';
import { createSecretBox } from './secret-box';

const INTERNAL = [
  '127.0.0.1', '127.1.2.3', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.100.100.200',
  '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '198.18.0.1',
  '::', '::1', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254',
  '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '2002:a9fe:a9fe::1', '2001:db8::1',
];
const PUBLIC = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:2800:220:1:248:1893:25c8:1946', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8'];

describe('issue 12.9: internal address ranges', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast, metadata and reserved ranges, IPv4 and IPv6 (mapped and embedded too)', () => {
    const policy = parseTargetPolicy(undefined);
    expect(INTERNAL.filter((a) => refusedAddress(a, policy) === null)).toEqual([]);
    expect(PUBLIC.filter((a) => refusedAddress(a, policy) !== null)).toEqual([]);
  });

  it('WEBHOOK_ALLOWED_HOSTS lets on-premise receivers through by CIDR or address', () => {
    const policy = parseTargetPolicy('hooks.internal.example, 10.20.0.0/16, 127.0.0.1, fd12::/16');
    expect(refusedAddress('10.20.3.4', policy)).toBeNull();
    expect(refusedAddress('127.0.0.1', policy)).toBeNull();
    expect(refusedAddress('::ffff:127.0.0.1', policy)).toBeNull();
    expect(refusedAddress('fd12::5', policy)).toBeNull();
    expect(refusedAddress('10.21.0.1', policy)).not.toBeNull();
    expect(refusedAddress('169.254.169.254', policy)).not.toBeNull();
    expect(policy.hosts.has('hooks.internal.example')).toBe(true);
    expect(() => parseTargetPolicy('10.0.0.0/33')).toThrow(/bad CIDR/);
  });
});

class Receiver {
  readonly bodies: string[] = [];
  readonly headers: Record<string, string | string[] | undefined>[] = [];
  status = 200;
  private server!: Server;
  port = 0;
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.bodies.push(Buffer.concat(chunks).toString('utf8'));
        this.headers.push(req.headers);
        res.writeHead(this.status, { 'content-type': 'text/plain' }).end('INTERNAL-SECRET-ANSWER db=10.0.0.5 password=hunter2');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('issue 12.9: subscriptions and deliveries', () => {
  let t: TestApp;
  let receiver: Receiver;
  const meta = { actorId: 'webhook-test', actorRole: 'admin', correlationId: 'webhook-test' };
  let seq = 0;
  const append = () => t.eventStore.appendToStream(`ssrf-${++seq}`, [{ type: 'Thing', data: { n: seq } }], { expectedVersion: 'no_stream', metadata: meta });
  const subscribe = (url: string) =>
    t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${t.adminKey}` }, payload: { url, after: 0 } });

  beforeAll(async () => {
    t = await createTestApp();
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('refuses internal targets at subscription with a 400 naming body.url, after resolving names', async () => {
    for (const url of [`http://127.0.0.1:${receiver.port}/x`, 'http://localhost/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:127.0.0.1]/', 'http://[::1]:8080/', 'http://10.0.0.1/', 'http://0x7f000001/']) {
      const r = await subscribe(url);
      expect({ url, status: r.statusCode }).toEqual({ url, status: 400 });
      expect(r.json()).toMatchObject({ code: 'webhook_target_refused', errors: [{ path: 'body.url' }] });
    }
    const { rows } = await t.database.pool.query('SELECT 1 FROM webhook_subscriptions');
    expect(rows).toHaveLength(0);
  });

  it('checks again at each delivery: a name that resolves to an internal address later (DNS rebinding) gets nothing', async () => {
    const box = createSecretBox(t.webhookSecretKey);
    const { subscription } = await createSubscription(t.database.pool, { url: `http://rebound.example:${receiver.port}/hook`, createdBy: randomUUID(), after: 0 }, box);
    await append();
    // The name now answers a loopback address (what a rebinding DNS server does between checks).
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 }];
    const deliveries = startWebhookDeliveries({ pool: t.database.pool, store: t.eventStore, secretKey: t.webhookSecretKey, lookup: rebinding, pollIntervalMs: 0, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    expect(await deliveries.tick()).toMatchObject({ delivered: 0, failed: 1 });
    await deliveries.stop();
    expect(receiver.bodies).toHaveLength(0);
    const { rows } = await t.database.pool.query<{ last_error: string }>('SELECT last_error FROM webhook_subscriptions WHERE subscription_id = $1', [subscription.subscriptionId]);
    expect(rows[0]!.last_error).toBe('target_refused');
    await t.database.pool.query('UPDATE webhook_subscriptions SET deactivated_at = now() WHERE subscription_id = $1', [subscription.subscriptionId]);
  });

  it('stores no response body (status only), encrypts secrets at rest and still opens old plain rows', async () => {
    const allowed = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    try {
      const r = await allowed.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${allowed.adminKey}` }, payload: { url: `http://127.0.0.1:${receiver.port}/allowed`, after: 0 } });
      expect(r.statusCode).toBe(201);
      const { secret, subscriptionId } = r.json() as { secret: string; subscriptionId: string };
      const stored = (await allowed.database.pool.query<{ secret: string }>('SELECT secret FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId])).rows[0]!.secret;
      expect(stored).toMatch(/^enc:v1:/);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(6, 20));

      // A row from before encryption (plain secret) keeps delivering, and gets encrypted.
      const legacyId = '0196cccc-0000-7000-8000-00000000000c';
      await allowed.database.pool.query(
        `INSERT INTO webhook_subscriptions (subscription_id, url, secret, created_by, position) VALUES ($1, $2, 'whsec_legacy_plain', $3, 0)`,
        [legacyId, `http://127.0.0.1:${receiver.port}/legacy`, subscriptionId],
      );
      await allowed.eventStore.appendToStream('ssrf-allowed', [{ type: 'Thing', data: { n: 1 } }], { expectedVersion: 'no_stream', metadata: meta });
      receiver.status = 500;
      const deliveries = startWebhookDeliveries({ pool: allowed.database.pool, store: allowed.eventStore, secretKey: allowed.webhookSecretKey, allowedHosts: '127.0.0.1', pollIntervalMs: 0, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
      expect(await deliveries.tick()).toMatchObject({ delivered: 0, failed: 2 });
      receiver.status = 200;
      await allowed.database.pool.query('UPDATE webhook_subscriptions SET next_attempt_at = NULL');
      expect(await deliveries.tick()).toMatchObject({ delivered: 2, failed: 0 });
      await deliveries.stop();

      const sigs = receiver.headers.slice(-2).map((h) => String(h['convene-signature']));
      const bodies = receiver.bodies.slice(-2);
      const opened = [secret, 'whsec_legacy_plain'].map((s) => bodies.some((b, i) => verifySignature(s, sigs[i], b, { toleranceSeconds: Infinity })));
      expect(opened).toEqual([true, true]);
      const legacy = (await allowed.database.pool.query<{ secret: string }>('SELECT secret FROM webhook_subscriptions WHERE subscription_id = $1', [legacyId])).rows[0]!.secret;
      expect(legacy).toMatch(/^enc:v1:/);

      // What the receiver said is nowhere: not in lastError, not in the delivery log.
      const { rows } = await allowed.database.pool.query<{ t: string }>(
        `SELECT (SELECT string_agg(s::text, ' ') FROM webhook_subscriptions s) || (SELECT string_agg(d::text, ' ') FROM webhook_deliveries d) AS t`,
      );
      expect(rows[0]!.t).toContain('HTTP 500');
      expect(rows[0]!.t).not.toMatch(/INTERNAL-SECRET|hunter2/);
    } finally {
      await allowed.close();
    }
  });

  it('the secret key: required in production, generated once and kept under the data dir in development', async () => {
    await expect(loadWebhookSecretKey({ setting: undefined, development: false, dataDir: '.' })).rejects.toThrow(/WEBHOOK_SECRET_KEY is required/);
    const given = randomBytes(32);
    expect((await loadWebhookSecretKey({ setting: given.toString('base64'), development: false, dataDir: '.' })).equals(given)).toBe(true);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-whkey-'));
    try {
      const first = await loadWebhookSecretKey({ setting: undefined, development: true, dataDir: dir });
      const again = await loadWebhookSecretKey({ setting: undefined, development: true, dataDir: dir });
      expect(again.equals(first)).toBe(true);
      expect((await readFile(path.join(dir, 'webhook-secret.key'), 'utf8')).trim()).toBe(first.toString('base64'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
