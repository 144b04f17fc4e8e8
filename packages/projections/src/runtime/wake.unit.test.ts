import { describe, it, expect } from '@jest/globals';
import { createThrottle } from './wake';

describe('createThrottle (the projector wakes at most every minReadIntervalMs under load, issue 13)', () => {
  it('calls at once when idle, then once at the end of the interval however many calls came meanwhile', async () => {
    let calls = 0;
    const throttled = createThrottle(80, () => void calls++);
    throttled();
    expect(calls).toBe(1); // at once: the last call is long ago
    for (let i = 0; i < 10; i++) throttled();
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(calls).toBe(2); // the ten became one, at the end of the interval
    await new Promise((r) => setTimeout(r, 120));
    expect(calls).toBe(2);
    throttled();
    expect(calls).toBe(3); // idle again: at once
    throttled();
    throttled.cancel();
    await new Promise((r) => setTimeout(r, 120));
    expect(calls).toBe(3); // cancelled (stop())
  });
});
