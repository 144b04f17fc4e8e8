// The binder on the local disk (embedded mode): CONVENE_DATA_DIR/documents by default. A put
// writes a temporary file in the same file system, fsyncs it and renames it into place, so a
// reader never sees half a file and a failed upload leaves none.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, type DocumentStore, type StoredObject } from './types';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

export class LocalDocumentStore implements DocumentStore {
  readonly kind = 'local' as const;
  private readonly tmp: string;

  constructor(private readonly root: string) {
    this.tmp = path.join(root, '.tmp');
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, 'objects', ...key.split('/'));
  }

  async put(key: string, body: Readable, _options: { contentType: string }): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(this.tmp, { recursive: true });
    const temporary = path.join(this.tmp, `${randomUUID()}.part`);
    try {
      await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
      const handle = await open(temporary, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = this.pathOf(key);
    try {
      const { size } = await stat(file);
      return { body: createReadStream(file), size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(path.join(this.root, 'objects'), { recursive: true });
  }
}
