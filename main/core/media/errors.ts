// Typed errors of the media module. The pipeline stores `message` as the file's error, so every
// message is one human sentence that says what is wrong and, where there is one, what fixes it.

/** Base class: anything the media module throws on purpose. */
export class MediaError extends Error {
  override name = 'MediaError';
}

/** ffmpeg or ffprobe is not installed where Reeltag looks for it. */
export class MediaToolMissingError extends MediaError {
  override name = 'MediaToolMissingError';
}

/** The file is not there, is a folder, or cannot be opened (permissions). */
export class MediaFileError extends MediaError {
  override name = 'MediaFileError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** The file exists but holds no video Reeltag can tag (audio only, a still image, text, empty). */
export class NotAVideoError extends MediaError {
  override name = 'NotAVideoError';
  constructor(
    readonly reason: string,
    readonly file?: string,
  ) {
    super(reason);
  }
}

/** The file looks like a video container but is cut short or damaged beyond what ffprobe reads. */
export class CorruptMediaError extends MediaError {
  override name = 'CorruptMediaError';
  constructor(
    readonly reason: string,
    readonly file?: string,
  ) {
    super(reason);
  }
}

/** Base of the errors about one run of ffmpeg/ffprobe; `stderr` holds the tail of its log. */
export class ToolError extends MediaError {
  override name = 'ToolError';
  constructor(
    readonly tool: string,
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** The tool exited non-zero (or was killed by a signal nobody here sent). */
export class ToolFailedError extends ToolError {
  override name = 'ToolFailedError';
  constructor(
    tool: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    stderr: string,
  ) {
    const how = code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'a signal'}`;
    const last = lastMeaningfulLines(stderr);
    super(tool, `${tool} ${how}${last ? `: ${last}` : ' and printed nothing'}`, stderr);
  }
}

/** The caller's AbortSignal fired; the tool was killed. */
export class ToolAbortedError extends ToolError {
  override name = 'ToolAbortedError';
  constructor(tool: string, stderr = '') {
    super(tool, `${tool} was cancelled and has been stopped`, stderr);
  }
}

/** The tool ran past its time limit, or produced nothing for too long; it was killed. */
export class ToolTimeoutError extends ToolError {
  override name = 'ToolTimeoutError';
  constructor(
    tool: string,
    readonly timeoutMs: number,
    what: 'ran' | 'stalled',
    stderr = '',
  ) {
    const secs = `${Math.round(timeoutMs / 100) / 10} s`;
    super(
      tool,
      what === 'ran'
        ? `${tool} took longer than ${secs} and was stopped`
        : `${tool} produced no output for ${secs} (is the input a pipe nobody writes to, or a stalled network drive?) and was stopped`,
      stderr,
    );
  }
}

/** The tool printed more to stdout than the caller allowed; it was killed to bound memory. */
export class ToolOutputTooLargeError extends ToolError {
  override name = 'ToolOutputTooLargeError';
  constructor(tool: string, limit: number, stderr = '') {
    super(tool, `${tool} printed more than ${limit} bytes and was stopped`, stderr);
  }
}

/**
 * The last few non-empty lines of a tool's stderr, joined with " | ". ffmpeg states the cause last
 * (e.g. "moov atom not found" then "Invalid data found when processing input").
 */
export function lastMeaningfulLines(stderr: string, count = 3): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.slice(-count).join(' | ');
}
