// Where a process's bytes are allocated (BENCH_ALLOC=1 of command-cost.ts): V8's sampling heap
// profiler with the objects later collected kept in the samples, so it counts what each function
// allocates (what the young-generation collections then sweep), not what stays alive. The
// summary lists functions by the bytes they allocate themselves, and files (packages, node's own
// code, dependencies) by the bytes allocated in them, per command.
import { writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector/promises';

interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: AllocNode[];
}

/** Runs `run` with allocation sampling on; writes the .heapprofile and returns its summary per command. */
export async function allocationProfile(session: Session, file: string, run: () => Promise<number>): Promise<string> {
  await session.post('HeapProfiler.enable');
  // 8 kB between samples: a sample per ~15 allocations of a small command, cheap enough not to change the mix.
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  const commands = await run();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: AllocNode } };
  writeFileSync(file, JSON.stringify(profile));
  return summarise(profile.head, commands);
}

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /(packages\/[^/]+|services\/[^/]+)/.exec(url);
  return m ? m[1]! : url.startsWith('node:') ? url : url === '' ? '(V8 and native)' : url.replace(/^.*\//, '');
};

function summarise(head: AllocNode, commands: number): string {
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  const walk = (n: AllocNode) => {
    const f = n.callFrame;
    const place = where(f.url);
    const file = /\/(packages|services)\//.test(f.url) ? f.url.replace(/^.*\/((?:packages|services)\/)/, '$1') : place;
    const name = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + n.selfSize);
    byPlace.set(place, (byPlace.get(place) ?? 0) + n.selfSize);
    total += n.selfSize;
    n.children.forEach(walk);
  };
  walk(head);
  const kB = (bytes: number) => `${(bytes / commands / 1024).toFixed(1)} kB`;
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${kB(v).padStart(9)}  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return [
    `allocated per command: ${kB(total)} (${commands} commands)`,
    'by place:', ...top(byPlace, 15),
    'by function (self):', ...top(byFunction, 30),
  ].join('\n');
}
