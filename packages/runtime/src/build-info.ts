import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BuildInfo {
  version: string;
  commit: string;
}

let cached: BuildInfo | undefined;

/**
 * Version and commit for /health, logs and metrics: CONVENE_VERSION / CONVENE_COMMIT (set by the
 * image build), else the root package.json and `git rev-parse` of a checkout, else "unknown".
 */
export function buildInfo(env: NodeJS.ProcessEnv = process.env): BuildInfo {
  if (cached) return cached;
  let version = env.CONVENE_VERSION;
  let commit = env.CONVENE_COMMIT;
  if (!version) {
    try {
      version = (JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { version?: string }).version;
    } catch {
      // not started from the repository root
    }
  }
  if (!commit) {
    try {
      commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim();
    } catch {
      // no git, or not a checkout (an image)
    }
  }
  cached = { version: version || '0.0.0', commit: commit || 'unknown' };
  return cached;
}
