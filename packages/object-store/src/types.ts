// The object store behind the project binder: one interface, two implementations (the local disk
// in embedded mode, any S3-compatible store in production). Keys are written by the server only.
import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Readable;
  size: number;
}

export interface DocumentStore {
  readonly kind: 'local' | 's3';
  /**
   * Streams `body` under `key`. The object appears whole or not at all: when `body` errors (size
   * limit, a content check) the put rejects with that error and leaves nothing behind.
   */
  put(key: string, body: Readable, options: { contentType: string }): Promise<void>;
  /** The object, streamed; null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Deletes the object; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Is the store reachable (and the bucket there)? For start-up and readiness. */
  check(): Promise<void>;
}

/** Keys are `[A-Za-z0-9/_.-]`, relative, without empty or dot segments: safe as a path and as an S3 key. */
export function assertValidKey(key: string): void {
  const ok = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) && key.length <= 512 && !key.split('/').some((s) => s === '.' || s === '..');
  if (!ok) throw new Error(`invalid object key ${JSON.stringify(key)}`);
}
