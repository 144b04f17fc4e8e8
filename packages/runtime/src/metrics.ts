import client from 'prom-client';
import type pg from 'pg';
import { buildInfo } from './build-info';

/**
 * Prometheus metrics of every process (prom-client, one registry per process). Hot-path metrics
 * (HTTP latency, commands, append latency) are plain counters and histograms updated in memory;
 * everything read from PostgreSQL or Redis (projection lag, outbox, queue depths, webhook backlog)
 * is computed only when /metrics is scraped, so it costs nothing between scrapes.
 */
export const registry = new client.Registry();

function once<T extends client.Metric>(name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpDuration = once(
  'convene_http_request_duration_seconds',
  () =>
    new client.Histogram({
      name: 'convene_http_request_duration_seconds',
      help: 'HTTP request latency by route (the route pattern, not the URL), method and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: seconds,
      registers: [registry],
    }),
);

export const commandsTotal = once(
  'convene_commands_total',
  () =>
    new client.Counter({
      name: 'convene_commands_total',
      help: 'Commands handled by type and outcome (accepted, rejected: 4xx, conflict: 409/412, error: 5xx)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
);

export const appendDuration = once(
  'convene_append_duration_seconds',
  () =>
    new client.Histogram({
      name: 'convene_append_duration_seconds',
      help: 'Event store append latency (appendToStream / appendMany, group commit included)',
      labelNames: ['outcome'] as const,
      buckets: seconds,
      registers: [registry],
    }),
);

export const deliveriesTotal = once(
  'convene_deliveries_total',
  () =>
    new client.Counter({
      name: 'convene_deliveries_total',
      help: 'Delivery jobs processed by the worker, by outcome (sent, already-sent, cancelled, skipped, busy, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
);

once(
  'convene_build_info',
  () =>
    new client.Gauge({
      name: 'convene_build_info',
      help: 'Version and commit of the running code (always 1)',
      labelNames: ['version', 'commit'] as const,
      registers: [registry],
      collect() {
        const info = buildInfo();
        this.set({ version: info.version, commit: info.commit }, 1);
      },
    }),
);

let defaults = false;
/** Node's own metrics (event loop lag, heap, GC): once per process. */
export function collectProcessMetrics(): void {
  if (defaults) return;
  defaults = true;
  client.collectDefaultMetrics({ register: registry, prefix: 'convene_' });
}

/** Where scrape-time gauges read from; the latest call wins (one process, one database). */
interface Sources {
  pool?: pg.Pool;
  queueCounts?: () => Promise<Record<string, number>>;
}
const sources: Sources = {};

export function setMetricsSources(next: Sources): void {
  Object.assign(sources, next);
}

const projectionLagPositions = once(
  'convene_projection_lag_positions',
  () =>
    new client.Gauge({
      name: 'convene_projection_lag_positions',
      help: 'Global positions between the newest event and the live projection checkpoint (positions are sparse: 0 means caught up)',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
);
const projectionLagSeconds = once(
  'convene_projection_lag_seconds',
  () =>
    new client.Gauge({
      name: 'convene_projection_lag_seconds',
      help: 'Age of the oldest event the live projection has not applied (0 when caught up)',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
);
const outbox = once(
  'convene_outbox_deliveries',
  () =>
    new client.Gauge({
      name: 'convene_outbox_deliveries',
      help: 'Planned deliveries by state: due (pending and due now), pending, dispatched, sent, cancelled, skipped',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
);
const queueDepth = once(
  'convene_queue_jobs',
  () =>
    new client.Gauge({
      name: 'convene_queue_jobs',
      help: 'BullMQ delivery queue by state (waiting, active, delayed, failed = dead letters)',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
);
const deadLetters = once(
  'convene_dead_letters',
  () =>
    new client.Gauge({
      name: 'convene_dead_letters',
      help: 'Delivery jobs that exhausted their retries (the failed set of the queue)',
      registers: [registry],
    }),
);
const webhookBacklog = once(
  'convene_webhook_backlog_positions',
  () =>
    new client.Gauge({
      name: 'convene_webhook_backlog_positions',
      help: 'Per active webhook subscription: global positions between the newest event and its checkpoint',
      labelNames: ['subscription'] as const,
      registers: [registry],
    }),
);
const webhookFailing = once(
  'convene_webhook_failing_subscriptions',
  () =>
    new client.Gauge({
      name: 'convene_webhook_failing_subscriptions',
      help: 'Active webhook subscriptions whose last delivery failed',
      registers: [registry],
    }),
);

const quietly = async <T>(read: () => Promise<T>): Promise<T | null> => {
  try {
    return await read();
  } catch {
    return null; // a table not there (yet) or the database down: /health says so, metrics stay
  }
};

/** Reads every scrape-time gauge; called by /metrics before rendering. */
async function refreshFromSources(): Promise<void> {
  const pool = sources.pool;
  if (pool) {
    const lag = await quietly(() =>
      pool.query<{ name: string; lag_positions: string; lag_seconds: number }>(
        `WITH head AS (SELECT coalesce(max(global_position), 0) AS position FROM events)
         SELECT p.name, greatest(head.position - p.position, 0) AS lag_positions,
                coalesce(extract(epoch FROM now() - (SELECT recorded_at FROM events e WHERE e.global_position > p.position
                                                     ORDER BY e.global_position LIMIT 1)), 0)::float8 AS lag_seconds
           FROM projection_instances p, head WHERE p.role = 'live'`,
      ),
    );
    if (lag) {
      projectionLagPositions.reset();
      projectionLagSeconds.reset();
      for (const r of lag.rows) {
        projectionLagPositions.set({ projection: r.name }, Number(r.lag_positions));
        projectionLagSeconds.set({ projection: r.name }, Number(r.lag_seconds));
      }
    }
    const deliveries = await quietly(() =>
      pool.query<{ state: string; n: number }>(
        `SELECT status AS state, count(*)::int AS n FROM scheduled_deliveries GROUP BY status
         UNION ALL SELECT 'due', count(*)::int FROM scheduled_deliveries WHERE status = 'pending' AND due_at <= now()`,
      ),
    );
    if (deliveries) {
      outbox.reset();
      for (const state of ['due', 'pending', 'dispatched', 'sent', 'cancelled', 'skipped']) outbox.set({ state }, 0);
      for (const r of deliveries.rows) outbox.set({ state: r.state }, r.n);
    }
    const hooks = await quietly(() =>
      pool.query<{ subscription_id: string; backlog: string; failing: boolean }>(
        `SELECT s.subscription_id, greatest((SELECT coalesce(max(global_position), 0) FROM events) - s.position, 0) AS backlog,
                s.failures > 0 AS failing
           FROM webhook_subscriptions s WHERE s.deactivated_at IS NULL`,
      ),
    );
    if (hooks) {
      webhookBacklog.reset();
      for (const r of hooks.rows) webhookBacklog.set({ subscription: r.subscription_id }, Number(r.backlog));
      webhookFailing.set(hooks.rows.filter((r) => r.failing).length);
    }
  }
  if (sources.queueCounts) {
    const counts = await quietly(sources.queueCounts);
    if (counts) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) queueDepth.set({ state }, counts[state] ?? 0);
      deadLetters.set(counts.failed ?? 0);
    }
  }
}

/** The Prometheus text exposition of this process. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  await refreshFromSources();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** The outcome label of a command from its HTTP status. */
export function commandOutcome(status: number): 'accepted' | 'rejected' | 'conflict' | 'error' {
  if (status < 400) return 'accepted';
  if (status === 409 || status === 412) return 'conflict';
  return status < 500 ? 'rejected' : 'error';
}
