import { InMemoryEventStore } from './in-memory-port';
import type { AppendManyOptions, AppendManyResult, StreamAppend } from './port';

/**
 * Tests of write races: an in-memory store that runs `race` once, just before the first append of
 * a `commandType` command (after that command has read and decided), as another client would.
 */
export class RacingStore extends InMemoryEventStore {
  raced = false;
  constructor(
    private readonly commandType: string,
    private readonly race: (store: RacingStore) => Promise<unknown>,
  ) {
    super();
  }

  override async appendMany(appends: StreamAppend[], options: AppendManyOptions): Promise<AppendManyResult> {
    if (!this.raced && options.metadata.commandType === this.commandType) {
      this.raced = true;
      await this.race(this);
    }
    return super.appendMany(appends, options);
  }
}
