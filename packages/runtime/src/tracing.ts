import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry tracing, off unless turned on: by `initTracing(exporter)` (tests use an in-memory
 * exporter), OTEL_TRACES_EXPORTER=console, or an OTLP collector named by the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_TRACES_EXPORTER=otlp
 * with neither sends to the default http://localhost:4318). OTLP over HTTP (JSON), batched; the
 * exporter reads the other OTEL_EXPORTER_OTLP_* variables (headers, timeout) itself; the
 * service is named by OTEL_SERVICE_NAME, else by the process. While off, nothing is created per request: the API
 * adds no hooks and `tracingEnabled()` guards every span, so the hot path pays one boolean check.
 *
 * The trace crosses processes through the W3C `traceparent`: the API continues the caller's
 * trace (or starts one), writes the `traceparent` of its append span into the events' metadata,
 * and the projector (apply) and the worker (send) start their spans as children of it.
 */
let provider: BasicTracerProvider | null = null;
let contextManager: AsyncLocalStorageContextManager | null = null;

export function tracingEnabled(): boolean {
  return provider !== null;
}

/** The exporter the environment asks for, and how its spans are handed over. */
function exporterFromEnv(env: NodeJS.ProcessEnv): SpanProcessor | null {
  const wanted = env.OTEL_TRACES_EXPORTER;
  if (wanted === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
  if (wanted === 'none') return null;
  if (wanted === 'otlp' || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    // Batched: a span never waits for the collector; shutdownTracing() flushes what is left.
    return new BatchSpanProcessor(new OTLPTraceExporter());
  }
  return null;
}

export function initTracing(options: { serviceName?: string; exporter?: SpanExporter } = {}): boolean {
  if (provider) return true;
  const processor = options.exporter ? new SimpleSpanProcessor(options.exporter) : exporterFromEnv(process.env);
  if (!processor) return false;
  const serviceName = process.env.OTEL_SERVICE_NAME || options.serviceName || 'convene';
  provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors: [processor] });
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return true;
}

/** Flushes and turns tracing off (shutdown; tests). */
export async function shutdownTracing(): Promise<void> {
  if (!provider) return;
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  provider = null;
  contextManager = null;
}

export function tracer(): Tracer {
  return trace.getTracer('convene');
}

/** The `traceparent` of the active span, for event metadata; undefined when tracing is off. */
export function currentTraceparent(): string | undefined {
  if (!provider) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** A context whose parent is the given `traceparent` (from headers or event metadata). */
export function contextFromTraceparent(traceparent: unknown, base: Context = context.active()): Context {
  if (typeof traceparent !== 'string' || !traceparent) return base;
  return propagation.extract(base, { traceparent });
}

/** Runs `work` in a span (ended when it settles, errors recorded); plain `work()` when tracing is off. */
export async function inSpan<T>(
  name: string,
  options: { parent?: Context; kind?: SpanKind; attributes?: Record<string, string | number | boolean> },
  work: (span: Span | null) => Promise<T>,
): Promise<T> {
  if (!provider) return work(null);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Spans for work already done on a batch (the projector applies many events in one transaction):
 * one span per item that carries a `traceparent`, from `startedAt` to now, child of that trace.
 */
export function recordBatchSpans(name: string, items: { traceparent: unknown; attributes: Record<string, string | number> }[], startedAt: number): void {
  if (!provider) return;
  for (const item of items) {
    if (typeof item.traceparent !== 'string') continue;
    const span = tracer().startSpan(name, { attributes: item.attributes, startTime: startedAt }, contextFromTraceparent(item.traceparent));
    span.end();
  }
}

export { SpanKind, SpanStatusCode, context, trace, type Span, type Context };
