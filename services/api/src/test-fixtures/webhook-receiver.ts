// A webhook receiver for the tests: a real HTTP server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}
/** A real receiver on 127.0.0.1: records every POST; answers the statuses queued for its path, else 200. */
export class Receiver {
  readonly received: Received[] = [];
  private readonly plans = new Map<string, number[]>();
  private waiters: (() => void)[] = [];
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const status = this.plans.get(path)?.shift() ?? 200;
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver down');
        for (const w of this.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }
  failNext(path: string, ...statuses: number[]): void {
    this.plans.set(path, statuses);
  }
  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
  /** Resolves once `path` has had `count` requests (no timing: the test's own timeout bounds it). */
  async until(path: string, count: number): Promise<void> {
    while (this.at(path).length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
