// Cuts a raw video byte stream into fixed-size frames. Pipe reads end wherever the kernel
// pleases, so one read may hold half a frame or several frames and a half.

export interface FrameChunker {
  /** Feed the next bytes; returns the frames they complete, each a fresh copy the caller may keep. */
  push(chunk: Uint8Array): Uint8Array[];
  /** Bytes held back as the start of an unfinished frame (non-zero at the end means a cut stream). */
  readonly pending: number;
}

export function createFrameChunker(frameSize: number): FrameChunker {
  if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError(`frame size must be a positive integer, got ${frameSize}`);
  let partial = new Uint8Array(frameSize);
  let filled = 0;
  return {
    push(chunk) {
      const frames: Uint8Array[] = [];
      let offset = 0;
      if (filled > 0) {
        const take = Math.min(frameSize - filled, chunk.length);
        partial.set(chunk.subarray(0, take), filled);
        filled += take;
        offset = take;
        if (filled < frameSize) return frames;
        frames.push(partial);
        partial = new Uint8Array(frameSize);
        filled = 0;
      }
      // Whole frames inside this chunk are copied, not viewed: a view would keep the whole
      // (pooled, 64 KiB) read buffer alive for as long as the consumer keeps the frame.
      while (chunk.length - offset >= frameSize) {
        // Not chunk.slice(): on a Buffer that is a view, not a copy.
        const frame = new Uint8Array(frameSize);
        frame.set(chunk.subarray(offset, offset + frameSize));
        frames.push(frame);
        offset += frameSize;
      }
      if (offset < chunk.length) {
        partial.set(chunk.subarray(offset), 0);
        filled = chunk.length - offset;
      }
      return frames;
    },
    get pending() {
      return filled;
    },
  };
}
