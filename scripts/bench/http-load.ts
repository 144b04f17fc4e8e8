// Open-loop HTTP load of the realistic command mix (undici). Request i of a step is due at
// start + i/rate whether or not earlier ones have answered; its latency runs from that due time
// (no coordinated omission: a queue in front of a slow server counts against it).
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { counts, type Agency, type World } from './http-seed';

/** Share of each command in the mix (coaching notes absorb PDSA cycles whose project is busy). */
export const MIX = { measures: 0.3, corrections: 0.1, coachingNotes: 0.25, pdsa: 0.15, attendance: 0.12, minutes: 0.08 } as const;
/** Share of commands sent with an Idempotency-Key (BENCH_IDEMPOTENT_SHARE). */
export const IDEMPOTENT_SHARE = Number(process.env.BENCH_IDEMPOTENT_SHARE ?? 0.25);
const MAX_IN_FLIGHT = 2000;
/** BENCH_SLOW_LOG=<ms>: print when each step's requests slower than this were due, in 250-ms buckets (wall clock). */
const SLOW_LOG_MS = Number(process.env.BENCH_SLOW_LOG ?? 0);

export interface Request { method: 'POST'; path: string; key: string; body: unknown; project?: string }

/** What a step sends: the next request, and its answer told back (the product's mix orders its PDSA cycles by it). */
export interface LoadMix {
  next(): Request;
  done(req: Request, ok: boolean): void;
}

export interface StepResult {
  offered: number;
  sent: number;
  ok: number;
  failed: number;
  shed: number;
  achieved: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** Seconds after the last answer until the projector and the worker had applied every event (bench:http). */
  caughtUpSeconds?: number | null;
}

const monthAfter = (n: number) => {
  const m = 3 + n; // n = 1 -> 2000-04
  return `${2000 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
};

/** Hands out valid commands: months in order per agency, PDSA cycles in order per project. */
export class Mix implements LoadMix {
  private readonly nextMonth = new Map<string, number>();
  private readonly cycles = new Map<string, number>();
  private readonly busyProjects = new Set<string>();
  private readonly lastMonth = new Date().toISOString().slice(0, 7);
  private i = 0;
  constructor(private readonly world: World) {}

  next(): Request {
    const i = this.i++;
    const a = this.world.agencies[(i * 7919) % this.world.agencies.length]!;
    const base = `/v1/collaboratives/${a.collaborativeId}/agencies/${a.agencyId}`;
    const ids = { collaborativeId: a.collaborativeId, agencyId: a.agencyId };
    let r = (i * 0.618033988749895) % 1; // low-discrepancy: the mix holds in every short window
    if (r < MIX.measures) {
      const n = (this.nextMonth.get(a.agencyId) ?? 0) + 1;
      const month = monthAfter(n);
      if (month <= this.lastMonth) {
        this.nextMonth.set(a.agencyId, n);
        return { method: 'POST', path: `${base}/measures`, key: a.agencyKey, body: { month, counts: counts(i) } };
      }
      r = MIX.measures; // months used up: a correction instead
    }
    if ((r -= MIX.measures) < MIX.corrections)
      return { method: 'POST', path: `${base}/measures/corrections`, key: a.agencyKey, body: { month: '2000-03', counts: counts(i), reason: 'Recount' } };
    if ((r -= MIX.corrections) < MIX.pdsa && !this.busyProjects.has(a.projectId)) {
      const cycle = (this.cycles.get(a.projectId) ?? 0) + 1;
      this.busyProjects.add(a.projectId);
      return {
        method: 'POST', path: `/v1/change-projects/${a.projectId}/pdsa-cycles`, key: a.agencyKey, project: a.projectId,
        body: { cycleNumber: cycle, beginsOn: '2026-01-01', endsOn: '2026-01-14', changeTested: 'Reminder call', prediction: 'Fewer no-shows', steps: [{ step: 'Call', who: 'Front desk' }], result: 'Fewer no-shows', decision: 'adapt' },
      };
    }
    if ((r -= MIX.pdsa) < MIX.attendance) {
      const m = this.world.meetings[i % this.world.meetings.length]!;
      const from = (i * 13) % (m.agencyIds.length - 10);
      const attendance = m.agencyIds.slice(from, from + 10).map((agencyId, k) => ({ agencyId, present: k % 4 !== 0, attendees: [] }));
      return { method: 'POST', path: `/v1/meetings/${m.meetingId}/attendance`, key: m.coachKey, body: { attendance } };
    }
    if ((r -= MIX.attendance) < MIX.minutes) {
      const m = this.world.meetings[i % this.world.meetings.length]!;
      return { method: 'POST', path: `/v1/meetings/${m.meetingId}/minutes/corrections`, key: m.coachKey, body: { minutes: `We met (rev ${i}).`, reason: 'Typo' } };
    }
    return coachingNote(a, base, ids);
  }

  /** A PDSA cycle's answer: the project's next cycle moves on only when this one was stored. */
  done(req: Request, ok: boolean) {
    if (!req.project) return;
    this.busyProjects.delete(req.project);
    if (ok) this.cycles.set(req.project, (this.cycles.get(req.project) ?? 0) + 1);
  }
}

/** The floor target's requests (floor-server.ts): one month's counts for one of 300 agencies, as the mix's measures. */
export class FloorMix implements LoadMix {
  private i = 0;
  next(): Request {
    const i = this.i++;
    const a = (i * 7919) % 300;
    return { method: 'POST', path: `/v1/collaboratives/floor${a % 3}/agencies/floor${a}/measures`, key: 'floor', body: { month: monthAfter(1 + (i % 300)), counts: counts(i) } };
  }
  done() {}
}

const coachingNote = (a: Agency, base: string, _ids: unknown): Request => ({
  method: 'POST', path: `${base}/coaching-notes`, key: a.coachKey, body: { coachId: a.coachId, coachedOn: '2026-02-01', assistance: 'Reviewed the run chart' },
});

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

export function httpClient(origin: string) {
  return new Pool(origin, { connections: 256, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
}

/** One step: `rate` commands/s for `seconds`, then waits for the answers (at most 20 s). */
export async function runStep(client: Pool, mix: LoadMix, rate: number, seconds: number): Promise<StepResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const slow = new Map<number, number[]>();
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let shed = 0;
  let inFlight = 0;
  let lastDone = 0;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const send = (due: number, n: number) => {
    if (inFlight >= MAX_IN_FLIGHT) {
      shed++;
      return;
    }
    const req = mix.next();
    inFlight++;
    const headers: Record<string, string> = { authorization: `Bearer ${req.key}`, 'content-type': 'application/json' };
    if ((n * 0.7548776662466927) % 1 < IDEMPOTENT_SHARE) headers['idempotency-key'] = randomUUID();
    const p = client
      .request({ method: req.method, path: req.path, headers, body: JSON.stringify(req.body) })
      .then(async (res) => {
        await res.body.text();
        return res.statusCode;
      })
      .catch(() => 0)
      .then((status) => {
        const now = performance.now();
        inFlight--;
        statuses[status] = (statuses[status] ?? 0) + 1;
        const good = status >= 200 && status < 300;
        mix.done(req, good);
        if (good) {
          ok++;
          latencies.push(now - due);
          if (SLOW_LOG_MS && now - due > SLOW_LOG_MS) {
            const bucket = Math.floor((performance.timeOrigin + due) / 250) * 250;
            if (!slow.has(bucket)) slow.set(bucket, []);
            slow.get(bucket)!.push(Math.round(now - due));
          }
          lastDone = now;
        } else failed++;
        pending.delete(p);
      });
    pending.add(p);
  };
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / rate <= now) {
      send(start + (sent * 1000) / rate, sent);
      sent++;
    }
    // Asleep until the next request is due (at least 1 ms), not woken every millisecond: on a
    // virtual machine each wake-up costs CPU the servers under test would otherwise have.
    const next = start + (sent * 1000) / rate - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(1, Math.floor(next))));
  }
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 20_000))]);
  failed += pending.size;
  latencies.sort((a, b) => a - b);
  for (const [bucket, ms] of slow) console.log(`  slow at ${new Date(bucket).toISOString()}: ${ms.length} requests, ${Math.min(...ms)}–${Math.max(...ms)} ms`);
  const elapsed = Math.max(lastDone, start + seconds * 1000) - start;
  return {
    offered: rate, sent: total - shed, ok, failed, shed, achieved: (ok * 1000) / elapsed,
    p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), statuses,
  };
}

/**
 * Closed-loop warm-up: `total` requests of the mix, `concurrency` at a time. A process that has
 * run for a while holds the states of the streams it serves; the measured steps should see that,
 * not a cold start (the mix visits every agency once in each run of as many requests as agencies).
 */
export async function warmUp(client: Pool, mix: LoadMix, total: number, concurrency = 16): Promise<{ ok: number; seconds: number }> {
  let sent = 0;
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent++;
        const req = mix.next();
        const status = await client
          .request({ method: req.method, path: req.path, headers: { authorization: `Bearer ${req.key}`, 'content-type': 'application/json' }, body: JSON.stringify(req.body) })
          .then(async (res) => (await res.body.text(), res.statusCode))
          .catch(() => 0);
        const good = status >= 200 && status < 300;
        mix.done(req, good);
        if (good) ok++;
      }
    }),
  );
  return { ok, seconds: (performance.now() - started) / 1000 };
}
