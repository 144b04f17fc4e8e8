import type { Provisioned } from './provision';

export default async function teardown(): Promise<void> {
  const started = (globalThis as { __conveneProvisioned?: Provisioned[] }).__conveneProvisioned ?? [];
  for (const service of started.reverse()) await service.stop();
}
