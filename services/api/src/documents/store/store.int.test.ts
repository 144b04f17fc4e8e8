// Issue 18 (documents): one test body, run against the local disk and against S3 through a real
// S3-compatible HTTP server: what one store does, the other does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { testStores, type TestStore } from '../test-support';

const bytesOf = async (body: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A stream of `data` in chunks, failing after `failAfter` bytes when given. */
function chunked(data: Buffer, chunk = 64 * 1024, failAfter?: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && offset >= failAfter) return this.destroy(new Error('content check failed'));
      if (offset >= data.length) return this.push(null);
      this.push(data.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

describe.each(testStores)('issue 18: the document store on %s', (_name, make) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await make();
  }, 30_000);
  afterAll(async () => t?.close());

  it('issue 18: streams a small file in and out byte for byte', async () => {
    const data = Buffer.from('%PDF-1.4\nsmall\n');
    await t.store.put('collaboratives/c1/documents/d1/v1', chunked(data, 4), { contentType: 'application/pdf' });
    const got = await t.store.get('collaboratives/c1/documents/d1/v1');
    expect(got?.size).toBe(data.length);
    expect(await bytesOf(got!.body)).toEqual(data);
  });

  it('issue 18: streams a file larger than one S3 part (6 MiB) in and out unchanged', async () => {
    const data = randomBytes(6 * 1024 * 1024 + 17);
    await t.store.put('big/one', chunked(data), { contentType: 'application/octet-stream' });
    const got = await t.store.get('big/one');
    expect(got?.size).toBe(data.length);
    expect(sha(await bytesOf(got!.body))).toBe(sha(data));
  }, 30_000);

  it('issue 18: a source that fails midway rejects the put and leaves no object', async () => {
    const data = randomBytes(300 * 1024);
    await expect(t.store.put('failed/one', chunked(data, 64 * 1024, 128 * 1024), { contentType: 'text/plain' })).rejects.toThrow('content check failed');
    expect(await t.store.get('failed/one')).toBeNull();
  });

  it('issue 18: a missing object reads as null; delete removes and is idempotent', async () => {
    expect(await t.store.get('nothing/here')).toBeNull();
    await t.store.put('gone/soon', chunked(Buffer.from('x')), { contentType: 'text/plain' });
    await t.store.delete('gone/soon');
    expect(await t.store.get('gone/soon')).toBeNull();
    await expect(t.store.delete('gone/soon')).resolves.toBeUndefined();
  });

  it('issue 18: refuses keys that could leave the store (.., absolute, odd characters)', async () => {
    for (const key of ['../escape', '/abs', 'a//b', 'a/../b', 'sp ace', '']) {
      await expect(t.store.put(key, chunked(Buffer.from('x')), { contentType: 'text/plain' })).rejects.toThrow('invalid object key');
    }
  });
});
