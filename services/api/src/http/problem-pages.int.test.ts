// issue 17 (the contract): a problem's `type` resolves to a page served by the API that describes
// the problem; /problems lists every type of the catalogue (generated with docs/problems.md).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { PROBLEM_CATALOGUE } from './problem-catalogue';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const resolve = (type: string, against: string) => new URL(type, `http://api.example:3000${against}`);

describe('problem type pages', () => {
  it('issue 17: the `type` of a 404, a 401 and a validation 400 resolves to an HTML page describing that problem', async () => {
    const auth = { authorization: `Bearer ${t.adminKey}` };
    const answers = [
      { url: '/v1/nowhere', headers: auth, method: 'GET' as const },
      { url: '/v1/collaboratives', headers: {}, method: 'GET' as const },
      { url: '/v1/collaboratives', headers: auth, method: 'POST' as const, payload: { name: 1 } },
    ];
    const seen: string[] = [];
    for (const request of answers) {
      const response = await t.app.inject(request);
      const problem = response.json() as { type: string; code: string; status: number };
      expect(problem.type).toBe(`/problems/${problem.code.replaceAll('_', '-')}`);
      const target = resolve(problem.type, request.url);
      expect(target.origin).toBe('http://api.example:3000');
      const page = await t.app.inject({ method: 'GET', url: target.pathname });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`<code>${problem.code}</code>`);
      expect(page.body).toContain(`Status ${problem.status}`);
      seen.push(problem.code);
    }
    expect(seen).toEqual(['route_not_found', 'unauthenticated', 'validation_error']);
  });

  it('issue 17: every catalogued problem has its page, /problems lists them all, an unknown type is a 404 page', async () => {
    expect(PROBLEM_CATALOGUE.length).toBeGreaterThan(40);
    for (const entry of PROBLEM_CATALOGUE) {
      const page = await t.app.inject({ method: 'GET', url: `/problems/${entry.code.replaceAll('_', '-')}` });
      expect({ code: entry.code, status: page.statusCode }).toEqual({ code: entry.code, status: 200 });
      expect(page.body).toContain(entry.raisedIn[0]);
    }
    const index = await t.app.inject({ method: 'GET', url: '/problems' });
    expect(index.statusCode).toBe(200);
    for (const entry of PROBLEM_CATALOGUE) expect(index.body).toContain(`href="/problems/${entry.code.replaceAll('_', '-')}"`);
    const unknown = await t.app.inject({ method: 'GET', url: '/problems/no-such-problem' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('no-such-problem');
    const fastify = await t.app.inject({ method: 'GET', url: '/problems/fst-err-ctp-body-too-large' });
    expect(fastify.statusCode).toBe(200);
  });
});
