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

export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  return pino(loggerOptions(service, env));
}
