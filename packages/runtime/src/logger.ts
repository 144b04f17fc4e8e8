import pino, { type Logger, type LoggerOptions } from 'pino';
import { buildInfo } from './build-info';

export type { Logger } from 'pino';

/**
 * The one log configuration of every process (api, projector, worker, `npm start`, CLIs): JSON
 * lines with an ISO time, the level as a word, the service, its version and commit. Request and
 * correlation ids are added per request (`reqId`, `correlationId`) by the API. Pretty output only
 * when asked (LOG_PRETTY=1); LOG_LEVEL chooses the level.
 */
export function loggerOptions(service: string, env: NodeJS.ProcessEnv = process.env): LoggerOptions {
  const info = buildInfo();
  const pretty = env.LOG_PRETTY === '1' || env.LOG_PRETTY === 'true';
  return {
    level: env.LOG_LEVEL ?? 'info',
    // `appVersion`, not `version`: log lines of projections carry their own `version`.
    base: { service, appVersion: info.version, commit: info.commit },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,appVersion,commit' } } } : {}),
  };
}

/**
 * Lines are written in blocks of 4 KB, and at least every 250 ms (issue 13): a write per line, each
 * a file-system request of its own, cost a busy API ~0.1 ms per request. pino flushes what is
 * buffered synchronously when the process exits (also on a fatal error followed by exit); only a
 * SIGKILL loses the last lines. `destination`: a file descriptor or path (default standard output).
 */
export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env, destination: number | string = 1): Logger {
  const options = loggerOptions(service, env);
  // A transport (LOG_PRETTY) writes from its own thread: nothing to buffer here.
  if (options.transport) return pino(options);
  const stream = pino.destination({ dest: destination, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // destroyed (closed) meanwhile: nothing left to write
    }
  }, 250).unref();
  return pino(options, stream);
}
