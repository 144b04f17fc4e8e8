/**
 * Reads an old schema version of an event as the current one. An upcaster takes the data of
 * version n of a type to version n + 1; reading applies them in a chain.
 */
export type Upcaster = (data: any) => unknown;

export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  register(eventType: string, fromVersion: number, upcast: Upcaster): this {
    const byVersion = this.steps.get(eventType) ?? new Map<number, Upcaster>();
    if (byVersion.has(fromVersion)) throw new Error(`upcaster ${eventType} v${fromVersion} registered twice`);
    byVersion.set(fromVersion, upcast);
    this.steps.set(eventType, byVersion);
    return this;
  }

  /** The version new events of this type are written with. */
  currentVersion(eventType: string): number {
    const byVersion = this.steps.get(eventType);
    return byVersion ? Math.max(...byVersion.keys()) + 1 : 1;
  }

  /** True when some upcaster exists for the type (most types have none). */
  has(eventType: string): boolean {
    return this.steps.has(eventType);
  }

  upcast(eventType: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
    const byVersion = this.steps.get(eventType);
    let version = schemaVersion;
    let current = data;
    for (let step = byVersion?.get(version); step; step = byVersion?.get(version)) {
      current = step(current);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
