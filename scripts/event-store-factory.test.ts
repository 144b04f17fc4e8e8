// Issue 12.13: every process that reads events unseals the same way, because every one builds its
// store with createEventStore (packages/eventstore/src/factory.ts). A `new EventStore(` outside the
// event store's own package and outside tests would read sealed blobs where names are.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');

describe('issue 12.13: one factory for the event store', () => {
  it('no process, script or benchmark constructs an EventStore without the personal-data hook', () => {
    const files = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.endsWith('.test.ts') && !f.startsWith('packages/eventstore/'));
    const offenders = files.filter((f) => /new EventStore\(/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
    const users = files.filter((f) => /createEventStore\(/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(users).toEqual(expect.arrayContaining([
      'services/api/src/main.ts', 'services/projector/src/main.ts', 'services/worker/src/main.ts', 'scripts/start.ts',
      'scripts/projections.ts', 'scripts/replay.ts', 'scripts/bench/append.ts', 'scripts/bench/catch-up.ts',
    ]));
  });
});
