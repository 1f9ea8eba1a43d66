import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStallWatchdog } from '../../../../main/core/media/stall-watchdog.js';

describe('createStallWatchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const make = (onStall: () => void) => createStallWatchdog(1000, onStall, () => Date.now());

  it('fires after the quiet period', () => {
    const onStall = vi.fn();
    make(onStall);
    vi.advanceTimersByTime(999);
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onStall).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(onStall).toHaveBeenCalledTimes(1);
  });

  it('restarts the quiet period on every kick', () => {
    const onStall = vi.fn();
    const w = make(onStall);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(900);
      w.kick();
    }
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(onStall).toHaveBeenCalledTimes(1);
  });

  it('does not count time while the consumer holds a pipe', () => {
    const onStall = vi.fn();
    const w = make(onStall);
    w.hold();
    w.hold();
    vi.advanceTimersByTime(10_000);
    w.release();
    vi.advanceTimersByTime(10_000);
    expect(onStall).not.toHaveBeenCalled();
    w.release();
    vi.advanceTimersByTime(999);
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onStall).toHaveBeenCalledTimes(1);
  });

  it('never fires once stopped', () => {
    const onStall = vi.fn();
    make(onStall).stop();
    vi.advanceTimersByTime(10_000);
    expect(onStall).not.toHaveBeenCalled();
  });
});
