import http from 'node:http';
import type { Logger } from 'pino';
import { buildInfo } from './build-info';
import { renderMetrics } from './metrics';

export interface OpsServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  /** What /health reports; `ok: false` answers 503 on /health and /health/ready. */
  health: () => Promise<{ ok: boolean } & Record<string, unknown>>;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The operations endpoints of a process without an API (projector, worker): /health/live (the
 * process answers), /health/ready and /health (its dependencies answer, with detail, version and
 * commit) and /metrics (Prometheus). Plain node:http: no routing or validation needed.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = http.createServer((request, response) => {
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    const path = (request.url ?? '/').split('?')[0];
    void (async () => {
      if (request.method !== 'GET') return send(405, JSON.stringify({ title: 'Method Not Allowed', status: 405 }));
      if (path === '/health/live') return send(200, JSON.stringify({ status: 'ok' }));
      if (path === '/health' || path === '/health/ready') {
        const health = await options.health().catch((error: Error) => ({ ok: false, error: error.message }));
        const { version, commit } = buildInfo();
        return send(health.ok ? 200 : 503, JSON.stringify({ status: health.ok ? 'ok' : 'down', version, commit, ...health }));
      }
      if (path === '/metrics') {
        const { contentType, body } = await renderMetrics();
        return send(200, body, contentType);
      }
      return send(404, JSON.stringify({ title: 'Not Found', status: 404 }));
    })().catch((error: Error) => {
      options.logger.error({ err: error }, 'ops endpoint failed');
      if (!response.headersSent) send(500, JSON.stringify({ title: 'Internal Server Error', status: 500 }));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
    });
  } catch (error) {
    // The work matters more than its endpoints: keep running, loudly (probes will notice).
    options.logger.error({ err: error, port: options.port }, 'health and metrics server could not listen; running without it');
    return { port: -1, close: async () => undefined };
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info({ port }, 'health and metrics listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
