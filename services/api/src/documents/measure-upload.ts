// Measures a large upload through the API on each object store (not a test; run by hand):
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres MEASURE_CURL=1 MEASURE_MIB=160 \
//   [MEASURE_STORE=local|S3] NODE_OPTIONS=--expose-gc npx tsx services/api/src/documents/measure-upload.ts
// It prints the upload time and this process's memory growth: with MEASURE_CURL=1 curl sends the
// file from another process, so the figure is the server's (and, for S3, the in-process s3rver's);
// without it an in-process fetch is the client and its own buffers are counted too.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createTestApp } from '../test-fixtures/test-app';
import { testStores } from './test-support';

const C = '0190f100-0000-7000-8000-0000000000c1';
const SIZE = Number(process.env.MEASURE_MIB ?? 40) * 1024 * 1024;
const chunk = randomBytes(1024 * 1024);
for (const [name, make] of testStores.filter(([n]) => !process.env.MEASURE_STORE || n.startsWith(process.env.MEASURE_STORE))) {
  const s = await make();
  const t = await createTestApp({ documentStore: s.store }, { DOCUMENT_MAX_BYTES: String(1024 * 1024 * 1024) });
  const admin = { authorization: `Bearer ${t.adminKey}` };
  await t.app.inject({ method: 'POST', url: '/v1/collaboratives', headers: admin, payload: {
    collaborativeId: C, name: 'M', aim: 'M', convener: { organizationName: 'S', contact: { personId: '0190f100-0000-7000-8000-0000000000d1', name: 'C', email: 'c@example.org' } },
    focusMeasures: ['admissions'], startsOn: '2025-01-01', endsOn: '2025-12-31', meetingCadence: 'monthly', measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 } } });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const b = 'measure-boundary';
  const hash = createHash('sha256');
  const body = Readable.from((async function* () {
    yield Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="targetKind"\r\n\r\ncollaborative\r\n--${b}\r\nContent-Disposition: form-data; name="targetId"\r\n\r\n${C}\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const head = Buffer.from('%PDF-1.4\n'); hash.update(head); yield head;
    for (let sent = 0; sent < SIZE; sent += chunk.length) { hash.update(chunk); yield chunk; }
    yield Buffer.from(`\r\n--${b}--\r\n`);
  })());
  global.gc?.();
  await new Promise((r) => setTimeout(r, 300)); global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let ab0 = process.memoryUsage().arrayBuffers; let abPeak = 0;
  const timer = setInterval(() => { global.gc?.(); const m = process.memoryUsage(); peak = Math.max(peak, m.rss); abPeak = Math.max(abPeak, m.arrayBuffers - ab0); }, 250);
  const t0 = performance.now();
  let res: { status: number }; let location: string | null; let position: string | null;
  if (process.env.MEASURE_CURL) {
    const { execFileSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const file = '/tmp/doc-try/big.pdf';
    void writeFileSync;
    execFileSync('sh', ['-c', `( printf '%%PDF-1.4\\n'; head -c ${SIZE} /dev/urandom ) > ${file}`]);
    hash.update(execFileSync('sha256sum', [file]).toString().split(' ')[0]!);
    const { exec } = await import('node:child_process');
    const out: string = await new Promise((resolve, reject) => exec(`curl -s -D - -o /dev/null -H "authorization: Bearer ${t.adminKey}" -F targetKind=collaborative -F targetId=${C} -F "file=@${file};type=application/pdf" ${address}/v1/collaboratives/${C}/documents`, { maxBuffer: 1e6 }, (e, so) => (e ? reject(e) : resolve(so))));
    void execFileSync;
    res = { status: Number([...out.matchAll(/HTTP\/1.1 (\d+)/g)].at(-1)?.[1]) };
    location = /location: (\S+)/i.exec(out)?.[1] ?? null;
    position = /convene-position: (\S+)/i.exec(out)?.[1] ?? null;
  } else {
    const r = await fetch(`${address}/v1/collaboratives/${C}/documents`, { method: 'POST', headers: { ...admin, 'content-type': `multipart/form-data; boundary=${b}` }, body: body as never, duplex: 'half' } as never);
    res = r; location = r.headers.get('location'); position = r.headers.get('convene-position');
  }
  const up = performance.now() - t0;
  // metadata needs the projector; read the content straight through the store instead via the event
  const events = (await t.eventStore.readStream(`document-${location!.split('/').pop()}`)).events;
  const key = (events[0]!.data as { storageKey: string; sha256: string }).storageKey;
  const t1 = performance.now();
  const got = await s.store.get(key);
  const h2 = createHash('sha256'); for await (const c of got!.body) h2.update(c as Buffer);
  const down = performance.now() - t1;
  clearInterval(timer);
  const mb = (SIZE + 9) / 1024 / 1024;
  console.log(`${name}: upload ${res.status} ${mb.toFixed(0)} MiB in ${up.toFixed(0)} ms (${(mb / (up / 1000)).toFixed(0)} MiB/s), store read back ${down.toFixed(0)} ms, sha ok ${h2.digest('hex') === (events[0]!.data as { sha256: string }).sha256 && (process.env.MEASURE_CURL ? true : (events[0]!.data as { sha256: string }).sha256 === hash.digest('hex'))}, RSS growth peak ${((peak - rss0) / 1024 / 1024).toFixed(0)} MiB, live ArrayBuffer growth after GC peak ${(abPeak / 1024 / 1024).toFixed(1)} MiB, position ${position}`);
  await t.close();
  await s.close();
}
