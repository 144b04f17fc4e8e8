// issue 17 "Must show": Redocly lint passes with zero errors in `npm test`. Runs the Redocly CLI
// (the package's own bin, no network: telemetry off) on the committed document with the
// repository's redocly.yaml, which also turns the rules on examples, unused schemas and
// descriptions into errors; warnings are held at zero too, so a new one is seen at once.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');

interface LintProblem { ruleId: string; severity: 'error' | 'warn'; message: string; location: { pointer?: string }[] }

async function lint(): Promise<LintProblem[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', 'openapi/openapi.json', '--format=json', '--max-problems=1000'], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: LintProblem[] }).problems;
}

describe('Redocly lint of openapi/openapi.json', () => {
  it('issue 17: zero errors and zero warnings (rules in redocly.yaml)', async () => {
    const problems = await lint();
    const shown = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(shown.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(shown).toEqual([]);
  }, 120_000);
});
