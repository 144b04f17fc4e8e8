// The seed's HTTP client: JSON commands with an admin key and an Idempotency-Key each (a retry is
// safe), waiting out 429 and 503 as their Retry-After says (the per-key rate limit is 600 a minute
// by default; the seed sends a few hundred commands), and sending again, under a new key, a command
// that lost a race for a stream shared by the agencies' side-by-side chains (409 concurrency_conflict).

export interface SeedClient {
  send(method: 'POST' | 'PUT', url: string, body: unknown, idempotencyKey: string): Promise<{ status: number; body: any }>;
  get(url: string): Promise<{ status: number; body: any }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function seedClient(baseUrl: string, apiKey: string): SeedClient {
  const call = async (method: string, url: string, body?: unknown, idempotencyKey?: string) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if ((res.status === 429 || res.status === 503) && attempt < 20) {
        const seconds = Number(res.headers.get('retry-after') ?? 1);
        await res.arrayBuffer();
        await sleep(Math.min(Math.max(seconds, 0.2), 60) * 1000);
        continue;
      }
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : null;
      if (res.status === 409 && parsed?.code === 'concurrency_conflict' && attempt < 20) {
        if (idempotencyKey) idempotencyKey = `${idempotencyKey.replace(/~\d+$/, '')}~${attempt + 1}`;
        await sleep(50 + Math.random() * 200);
        continue;
      }
      return { status: res.status, body: parsed };
    }
  };
  return {
    send: (method, url, body, idempotencyKey) => call(method, url, body, idempotencyKey),
    get: (url) => call('GET', url),
  };
}
