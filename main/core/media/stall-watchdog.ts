// Detects a tool that stopped producing output. Time the consumer spends holding a pipe paused
// (backpressure) does not count: then the tool is waiting on us, not stalled.

export interface StallWatchdog {
  /** Output arrived: start the quiet period again. Cheap: called for every chunk. */
  kick(): void;
  /** The consumer paused a pipe; stop counting until every hold is released. */
  hold(): void;
  release(): void;
  stop(): void;
}

export function createStallWatchdog(
  timeoutMs: number,
  onStall: () => void,
  now: () => number = () => performance.now(),
): StallWatchdog {
  let holds = 0;
  let stopped = false;
  let last = now();
  let timer: NodeJS.Timeout | undefined;
  // One timer that re-arms itself for the remaining quiet time, instead of a new timer per chunk.
  const check = (): void => {
    timer = undefined;
    if (stopped || holds > 0) return;
    const quiet = now() - last;
    if (quiet >= timeoutMs) {
      stopped = true;
      onStall();
    } else {
      timer = setTimeout(check, timeoutMs - quiet);
    }
  };
  const arm = (): void => {
    if (!stopped && holds === 0 && timer === undefined) timer = setTimeout(check, timeoutMs - (now() - last));
  };
  arm();
  return {
    kick() {
      last = now();
    },
    hold() {
      holds++;
      clearTimeout(timer);
      timer = undefined;
    },
    release() {
      holds = Math.max(0, holds - 1);
      if (holds === 0) {
        last = now();
        arm();
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
