// Tests only: the two object stores the binder runs on, each made fresh: the local disk in a
// temporary folder, and S3 through a real S3-compatible HTTP server started in the process
// (s3rver: Debian ships no MinIO), spoken to with the same AWS SDK v3 client production uses.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { LocalDocumentStore, S3DocumentStore } from '@convene/object-store';
import type { DocumentStore } from '@convene/object-store';

export interface TestStore {
  store: DocumentStore;
  close(): Promise<void>;
}

export async function localTestStore(): Promise<TestStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-docs-'));
  const store = new LocalDocumentStore(dir);
  await store.check();
  return { store, close: () => rm(dir, { recursive: true, force: true }) };
}

export async function s3TestStore(): Promise<TestStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = (await server.run()) as { port: number };
  const store = new S3DocumentStore({
    bucket: 'convene-documents', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1',
    accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, createBucket: true,
  });
  await store.check();
  return {
    store,
    async close() {
      store.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The stores every shared test body runs against. */
export const testStores: [name: string, make: () => Promise<TestStore>][] = [
  ['local disk', localTestStore],
  ['S3 (s3rver)', s3TestStore],
];
