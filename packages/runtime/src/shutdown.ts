import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run: () => unknown;
}

/**
 * Graceful stop on SIGINT/SIGTERM (and on a crash: an uncaught exception or rejection) with
 * close-with-grace: the steps run one after the other, in the order given (drain HTTP first, the
 * database last), each logged; a failing step is logged and the next still runs. A second signal,
 * or `delayMs` passing, ends the process at once.
 */
export function onShutdown(logger: Logger, steps: ShutdownStep[], options: { delayMs?: number } = {}) {
  return closeWithGrace(
    { delay: options.delayMs ?? 25_000, logger: { error: (message: unknown) => logger.error(message) } },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'stopping after an error');
      else logger.info({ signal }, 'stopping');
      for (const step of steps) {
        const started = performance.now();
        try {
          await step.run();
          logger.info({ step: step.name, ms: Math.round(performance.now() - started) }, `stopped ${step.name}`);
        } catch (error) {
          logger.error({ err: error, step: step.name }, `stopping ${step.name} failed`);
        }
      }
      logger.info('stopped');
      logger.flush();
    },
  );
}
