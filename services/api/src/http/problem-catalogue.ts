// The problem types the API serves pages on (http/problem-pages.ts): the generated groups under
// http/problems/ (`npm run docs:write`, with docs/problems.md), in the catalogue's order — by the
// first status, then the code.
import type { ProblemEntry } from './problems/entry';
import { PROBLEMS as access } from './problems/access';
import { PROBLEMS as conflicts } from './problems/conflicts';
import { PROBLEMS as request } from './problems/request';
import { PROBLEMS as rules } from './problems/rules';
import { PROBLEMS as service } from './problems/service';

export type { ProblemEntry };
export const PROBLEM_CATALOGUE: ProblemEntry[] = [...request, ...access, ...conflicts, ...rules, ...service].sort(
  (a, b) => Math.min(...a.statuses) - Math.min(...b.statuses) || a.code.localeCompare(b.code),
);
