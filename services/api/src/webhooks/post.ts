// One webhook POST with node:http(s), its connection pinned to an address checked by the target
// policy inside the socket's own DNS lookup (so the address connected to is the one checked). The
// response body is drained and dropped, never read: a receiver's answer is not stored anywhere
// (issue 12.9); only its status, or an error code, is kept.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveTarget, systemLookup, WebhookTargetRefused, type Lookup, type TargetPolicy } from './target-policy';

export interface PostResult {
  /** The HTTP status, or null when no response came. */
  status: number | null;
  /** A short code when no response came: target_refused, timeout, ECONNREFUSED, … */
  errorCode: string | null;
}

function pinnedLookup(policy: TargetPolicy, lookup: Lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolveTarget(`http://${hostname.includes(':') ? `[${hostname}]` : hostname}/`, policy, lookup).then(
      (addresses) => {
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** POSTs `body`; resolves with the status (body dropped) or an error code; never throws. */
export async function postWebhook(
  url: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; policy: TargetPolicy; lookup?: Lookup },
): Promise<PostResult> {
  const lookup = options.lookup ?? systemLookup;
  let target: URL;
  try {
    target = new URL(url);
    // Literal addresses never reach the socket's lookup: check them here.
    await resolveTarget(target, options.policy, async (host) => [{ address: host, family: 0 }].filter(() => false).concat(await lookup(host)));
  } catch (error) {
    return { status: null, errorCode: error instanceof WebhookTargetRefused ? error.code : 'bad_url' };
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        lookup: pinnedLookup(options.policy, lookup),
        timeout: options.timeoutMs,
      },
      (response) => {
        response.resume(); // drain and drop
        response.on('error', () => undefined);
        done({ status: response.statusCode ?? null, errorCode: null });
      },
    );
    request.on('timeout', () => {
      request.destroy();
      done({ status: null, errorCode: 'timeout' });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      done({ status: null, errorCode: error instanceof WebhookTargetRefused ? error.code : (error.code ?? error.name ?? 'request_failed') });
    });
    request.end(options.body);
  });
}
