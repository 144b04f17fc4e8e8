// The last pass over the OpenAPI document (issue 17, "the contract"): what the route schemas
// cannot say one route at a time. Tags get descriptions, `servers` names the API itself, every
// operation gets its documented examples (contract/examples.ts), generic response descriptions
// ("Default Response") say what the status means, zod's safe-integer bounds (which Swagger UI
// shows as example values, -9007199254740991) are dropped, and component schemas no operation
// references (the zod transform emits an input and an output variant of each) are left out. Error answers used by many operations are declared once (shared-responses.ts).
import { commandRegistry, type CommandType } from '@convene/domain';
import { shareErrorResponses } from './shared-responses';
import {
  COMMAND_EXAMPLES,
  COMMAND_PATH_EXAMPLES,
  OPERATION_EXAMPLES,
  OPERATION_PATH_EXAMPLES,
  PATH_EXAMPLES,
  QUERY_EXAMPLES,
} from './examples';

type Json = Record<string, any>;

export const TAGS: { name: string; description: string }[] = [
  { name: 'collaboratives', description: 'A learning collaborative: launch it, appoint its system roles, open cohorts, record expenditures, close it; read it, its cohorts, people and spending.' },
  { name: 'participation', description: 'An agency in a collaborative: application, scoring, admission, roles, coach and peer mentor, walk-through, baseline and monthly measures, coaching notes, completion or withdrawal.' },
  { name: 'change-projects', description: 'An agency\'s change project and its PDSA (Plan-Do-Study-Act) cycles.' },
  { name: 'site-visits', description: 'A coach\'s visit to an agency: schedule, reschedule, cancel, complete.' },
  { name: 'meetings', description: 'Learning sessions and coaching calls: schedule, invite, presenters, attendance, minutes.' },
  { name: 'plans', description: 'The timeline plan of a collaborative or cohort from a template (the NIATx year, the quarterly network variant): tentative entries proposed, adopted as meetings and site visits, moved, dropped, rebased; what is late against it.' },
  { name: 'measures', description: 'The measure catalogue of a collaborative (define, retire, chart phases), agencies\' submissions of measures (drafts, submissions, corrections), the coach\'s progress assessments, and each measure\'s pooled report and run or control chart.' },
  { name: 'announcements', description: 'Updates from the convener to an audience of the collaborative (all agencies, a cohort, Executive Sponsors, Change Leaders, stakeholders, mentors), e-mailed to each person once; agencies read a feed of those that reached them.' },
  { name: 'documents', description: 'The project binder: files (agendas, reports, flowcharts, data) attached to the collaborative, a meeting, a site visit, an agency or a change project; upload, replace, download, remove.' },
  { name: 'organisations', description: "The convener's network: provider organisations (with sites and levels of care) and stakeholders, each one's history across collaboratives, peer mentors' contacts and recruits, and the spread of process improvement." },
  { name: 'people', description: 'People of the network with their organisation and contact (personal data, sealed and erasable).' },
  { name: 'calendar', description: 'Meetings and site visits by collaborative, agency or coach, as JSON or as an iCalendar feed with a secret URL.' },
  { name: 'reports', description: 'Progress of agencies and cohorts against their baselines, and the pooled report of a collaborative.' },
  { name: 'exports', description: 'Downloads (CSV) of the measures.' },
  { name: 'history', description: 'The events of one aggregate\'s stream, as stored (a page at a time).' },
  { name: 'audit', description: 'For auditors: every event in order, a stream\'s state as of a position, reports as of a date, a replay dry run.' },
  { name: 'privacy', description: 'Erasure of a person\'s personal data from every stored event (crypto-shredding), as the GDPR requires.' },
  { name: 'webhooks', description: 'Subscriptions that POST events to a receiver, signed (docs/webhooks.md), and their delivery log.' },
  { name: 'admin', description: 'Operations of the platform: projections (status, rebuild, verify, resume) and the delivery queue (status, dead letters).' },
  { name: 'health', description: 'Probes for load balancers and orchestrators; no key needed.' },
];

const STATUS_MEANING: Record<string, string> = {
  '200': 'OK',
  '201': 'Created; `Location` names the new resource',
  '202': 'Accepted; the work goes on in the background',
  '204': 'Done; no body',
  '503': 'Not ready',
};

const operationIdToCommand = new Map<string, CommandType>(
  Object.entries(commandRegistry).map(([type, entry]) => [entry!.operationId, type as CommandType]),
);

/** `minimum`/`maximum` at ±(2^53 - 1) say only "a safe integer": noise in every integer field. */
function dropSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(dropSafeIntegerBounds);
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  if (o.minimum === -Number.MAX_SAFE_INTEGER) delete o.minimum;
  if (o.maximum === Number.MAX_SAFE_INTEGER) delete o.maximum;
  for (const value of Object.values(o)) dropSafeIntegerBounds(value);
}

function refsIn(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, into));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) into.add(value.slice('#/components/schemas/'.length));
      else refsIn(value, into);
    }
  }
  return into;
}

/** Keeps the component schemas reachable from the paths (transitively). */
function pruneSchemas(doc: Json): void {
  const schemas = (doc.components?.schemas ?? {}) as Json;
  const used = refsIn(doc.paths, new Set());
  const queue = [...used];
  while (queue.length) {
    const name = queue.pop()!;
    for (const ref of refsIn(schemas[name], new Set())) if (!used.has(ref)) (used.add(ref), queue.push(ref));
  }
  doc.components.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}

function addExamples(operation: Json): void {
  const command = operationIdToCommand.get(operation.operationId);
  const pathExamples = { ...PATH_EXAMPLES, ...(command ? COMMAND_PATH_EXAMPLES[command] : {}), ...OPERATION_PATH_EXAMPLES[operation.operationId] };
  for (const parameter of (operation.parameters ?? []) as Json[]) {
    if (parameter.in === 'path' && pathExamples[parameter.name] !== undefined) parameter.example = pathExamples[parameter.name];
    if (parameter.in === 'query' && parameter.required && QUERY_EXAMPLES[parameter.name] !== undefined) parameter.example = QUERY_EXAMPLES[parameter.name];
  }
  const body = command ? (COMMAND_EXAMPLES as Partial<Record<string, unknown>>)[command] : OPERATION_EXAMPLES[operation.operationId];
  const media = operation.requestBody?.content?.['application/json'];
  if (media && body !== undefined) media.example = body;
}

const REQUEST_ID_HEADER = {
  description: 'The server\'s id of this request (it names the request in the logs and in a problem\'s `requestId`)',
  schema: { type: 'string' },
};

function describeResponses(operation: Json): void {
  for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
    response.headers = { 'X-Request-Id': { $ref: '#/components/headers/RequestId' }, ...response.headers };
    if (response.description && response.description !== 'Default Response') continue;
    response.description = `${STATUS_MEANING[status] ?? `Status ${status}`}: ${String(operation.summary ?? operation.operationId).replace(/\.$/, '')}`;
  }
}

/** The finished document (mutates and returns it). */
export function finishDocument(doc: Json): Json {
  doc.servers = [{ url: '/', description: 'The API that serves this document (/openapi.json, Swagger UI at /docs)' }];
  doc.tags = TAGS;
  doc.components = { ...doc.components, headers: { ...doc.components?.headers, RequestId: REQUEST_ID_HEADER } };
  for (const operations of Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(operations)) {
      addExamples(operation);
      describeResponses(operation);
    }
  }
  shareErrorResponses(doc);
  dropSafeIntegerBounds(doc);
  pruneSchemas(doc);
  return doc;
}
