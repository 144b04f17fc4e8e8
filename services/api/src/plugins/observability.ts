import type { FastifyInstance } from 'fastify';
import { contextFromTraceparent, context, httpDuration, renderMetrics, setMetricsSources, SpanKind, SpanStatusCode, trace, tracer, tracingEnabled, type Span } from '@convene/runtime';

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
  }
}

/**
 * Request metrics and tracing for every route, and GET /metrics (Prometheus text). The latency
 * histogram is labelled by route pattern (bounded cardinality); unmatched URLs share one label.
 * With tracing on, each request is a server span continuing the caller's `traceparent`, active
 * for the whole handler (AsyncLocalStorage), so the event store's append span is its child.
 */
export function registerObservability(app: FastifyInstance): void {
  setMetricsSources({ pool: app.deps.pool });

  app.addHook('onResponse', (request, reply, done) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    if (request.span) {
      request.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) request.span.setStatus({ code: SpanStatusCode.ERROR });
      request.span.end();
    }
    done();
  });

  if (tracingEnabled()) {
    app.addHook('onRequest', (request, _reply, done) => {
      const parent = contextFromTraceparent(request.headers.traceparent, context.active());
      const route = request.routeOptions.url ?? 'unmatched';
      const span = tracer().startSpan(`${request.method} ${route}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route, 'convene.request_id': String(request.id) },
      }, parent);
      request.span = span;
      // The rest of the request (hooks, handler) runs inside the span's context.
      context.with(trace.setSpan(parent, span), done);
    });
  }

  app.get('/metrics', { schema: { hide: true }, config: { public: true, rateLimit: false } }, async (_request, reply) => {
    const { contentType, body } = await renderMetrics();
    return reply.type(contentType).send(body);
  });
}
