// The webhook subscriptions API: create (secret shown once), get, list, deactivate; who may.
import { describe, it, expect } from '@jest/globals';
import { api, append, COLLAB_A, COLLAB_B, deliveries, receiver, subscribe, t, useWebhookFixture } from './webhooks-fixture';

useWebhookFixture();

describe('webhook subscriptions API', () => {
  it('creates a subscription (secret shown once), gets, lists and deactivates it', async () => {
    const created = await subscribe('/crud', { types: ['Thing'], collaborativeId: COLLAB_A, description: 'ERP' });
    expect(created.secret).toMatch(/^whsec_/);
    const got = await api('GET', `/v1/webhooks/${created.subscriptionId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ url: receiver.url('/crud'), types: ['Thing'], collaborativeId: COLLAB_A, active: true, failures: 0 });
    expect(got.body.secret).toBeUndefined();
    const list = await api('GET', '/v1/webhooks?limit=200');
    expect(list.body.items.map((s: { subscriptionId: string }) => s.subscriptionId)).toContain(created.subscriptionId);
    expect(list.body.items.every((s: { secret?: string }) => s.secret === undefined)).toBe(true);

    const deleted = await api('DELETE', `/v1/webhooks/${created.subscriptionId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.active).toBe(false);
    const active = await api('GET', '/v1/webhooks?limit=200');
    expect(active.body.items.map((s: { subscriptionId: string }) => s.subscriptionId)).not.toContain(created.subscriptionId);
    const all = await api('GET', '/v1/webhooks?limit=200&includeInactive=true');
    expect(all.body.items.map((s: { subscriptionId: string }) => s.subscriptionId)).toContain(created.subscriptionId);
    // A deactivated subscription gets nothing.
    await append('Thing', { collaborativeId: COLLAB_A });
    await deliveries.tick();
    expect(receiver.at('/crud')).toHaveLength(0);
    expect((await api('GET', '/v1/webhooks/0196ffff-0000-7000-8000-000000000000')).status).toBe(404);
  });

  it('refuses non-admin keys (403) and bad URLs (400)', async () => {
    const auditor = await t.createKey({ name: 'auditor', role: 'auditor' });
    const coach = await t.createKey({ name: 'coach', role: 'coach', collaborativeIds: [COLLAB_A] });
    expect((await api('POST', '/v1/webhooks', { url: receiver.url('/x') }, auditor)).status).toBe(403);
    expect((await api('GET', '/v1/webhooks', undefined, coach)).status).toBe(403);
    const { subscriptionId } = await subscribe('/forbidden');
    expect((await api('GET', `/v1/webhooks/${subscriptionId}/deliveries`, undefined, auditor)).status).toBe(403);
    expect((await api('DELETE', `/v1/webhooks/${subscriptionId}`, undefined, coach)).status).toBe(403);
    expect((await api('POST', '/v1/webhooks', { url: 'ftp://example.com/x' })).status).toBe(400);
    // An admin scoped to a collaborative subscribes to its own collaborative only.
    const scopedAdmin = await t.createKey({ name: 'scoped admin', role: 'admin', collaborativeIds: [COLLAB_A] });
    expect((await api('POST', '/v1/webhooks', { url: receiver.url('/s') }, scopedAdmin)).status).toBe(403);
    expect((await api('POST', '/v1/webhooks', { url: receiver.url('/s'), collaborativeId: COLLAB_B }, scopedAdmin)).status).toBe(403);
    expect((await api('GET', `/v1/webhooks/${subscriptionId}`, undefined, scopedAdmin)).status).toBe(404);
    await api('DELETE', `/v1/webhooks/${subscriptionId}`);
  });
});
