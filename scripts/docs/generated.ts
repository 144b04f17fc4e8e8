// The generated docs, by file: written by `npm run docs:write`, compared by docs:check and a test.
import { renderEvents } from './events';
import { renderPermissions } from './permissions';
import { renderProblemCatalogueModules, renderProblems } from './problems';

export async function generatedDocs(root: string): Promise<Record<string, string>> {
  return {
    'docs/events.md': renderEvents(),
    'docs/permissions.md': await renderPermissions(),
    'docs/problems.md': await renderProblems(root),
    ...(await renderProblemCatalogueModules(root)),
  };
}
