import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';

// Development mode writes mail to a folder (mailer.ts, folderMailer) instead of sending it; these
// admin routes let a newcomer read it through the API: GET /dev-mail lists the newest messages,
// GET /dev-mail/:name returns one as message/rfc822. `npm start` registers them only when mail
// goes to the folder (no SMTP_URL).

export interface DevMailRoutesOptions {
  dir: string;
  authorize: (request: FastifyRequest) => boolean | Promise<boolean>;
}

export interface DevMailItem {
  name: string;
  size: number;
  writtenAt: string;
  subject: string | null;
  to: string | null;
}

const problem = (status: number, title: string) => ({ type: 'about:blank', title, status });

/** Header values of the first lines of a message (folded lines joined); encoded words left as they are. */
function headers(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  const unfolded = head.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).toLowerCase()] ??= line.slice(at + 1).trim();
  }
  return out;
}

async function describe(dir: string, name: string): Promise<DevMailItem> {
  const file = path.join(dir, name);
  const [info, handle] = await Promise.all([stat(file), open(file, 'r')]);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    const h = headers(buffer.subarray(0, bytesRead).toString('utf8'));
    return { name, size: info.size, writtenAt: info.mtime.toISOString(), subject: h.subject ?? null, to: h.to ?? null };
  } finally {
    await handle.close();
  }
}

export const devMailRoutes: FastifyPluginAsync<DevMailRoutesOptions> = async (app, options) => {
  app.addHook('onRequest', async (request, reply) => {
    if (!(await options.authorize(request))) return reply.code(403).type('application/problem+json').send(problem(403, 'Forbidden'));
  });

  app.get('/dev-mail', async () => {
    const names = await readdir(options.dir).catch(() => [] as string[]);
    // File names start with the time written, so name order is time order.
    const newest = names.filter((n) => n.endsWith('.eml')).sort().reverse().slice(0, 200);
    return { folder: options.dir, items: await Promise.all(newest.map((n) => describe(options.dir, n))) };
  });

  app.get('/dev-mail/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    // Only a plain file name of the folder: no path separators, no dot files.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.eml$/.test(name)) return reply.code(404).type('application/problem+json').send(problem(404, 'No such message'));
    const text = await readFile(path.join(options.dir, name)).catch(() => null);
    if (!text) return reply.code(404).type('application/problem+json').send(problem(404, 'No such message'));
    return reply.type('message/rfc822').send(text);
  });
};
