// `upgrade-insecure-requests` only where the page was served over HTTPS (issue 17): helmet adds it
// to every Content-Security-Policy by default, which over plain HTTP on a non-loopback address
// turns /docs into a blank page (its scripts are fetched over HTTPS, which nothing answers).
// Behind a TLS-terminating proxy, request.protocol says https only with Fastify's trustProxy.
import type { FastifyInstance } from 'fastify';

export function upgradeInsecureRequestsOverHttps(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const policy = reply.getHeader('content-security-policy');
    if (request.protocol === 'https' && typeof policy === 'string' && !policy.includes('upgrade-insecure-requests')) {
      reply.header('content-security-policy', `${policy};upgrade-insecure-requests`);
    }
    return payload;
  });
}
