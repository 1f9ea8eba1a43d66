// runTool/startTool against `node -e` scripts: real child processes, no ffmpeg needed.
import { describe, expect, it } from 'vitest';
import {
  MediaToolMissingError,
  ToolAbortedError,
  ToolFailedError,
  ToolOutputTooLargeError,
  ToolTimeoutError,
} from '../../../../main/core/media/errors.js';
import { runTool, startTool, STDERR_TAIL_BYTES, toolName } from '../../../../main/core/media/spawn.js';

const node = process.execPath;
const script = (code: string): string[] => ['-e', code];

const isAlive = (pid: number | undefined): boolean => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('runTool', () => {
  it('collects stdout as bytes and stderr as text', async () => {
    const r = await runTool(node, script('process.stdout.write(Buffer.from([0,1,255])); console.error("note")'));
    expect([...r.stdout]).toEqual([0, 1, 255]);
    expect(r.stderr).toBe('note\n');
    expect(r.code).toBe(0);
  });

  it('passes arguments verbatim, never through a shell', async () => {
    const tricky = ['$(echo hi)', '; rm -rf /tmp/nothing', "it's \"quoted\"", '*', '-y'];
    const r = await runTool(node, [...script('console.log(JSON.stringify(process.argv.slice(1)))'), ...tricky]);
    expect(JSON.parse(r.stdout.toString())).toEqual(tricky);
  });

  it('rejects a non-zero exit with the tool name, the code and the last stderr lines', async () => {
    const err = await rejection(runTool(node, script('console.error("warming up\\n\\nfirst\\nsecond\\nthe cause"); process.exitCode = 3')));
    expect(err).toBeInstanceOf(ToolFailedError);
    expect(err.message).toBe('node exited with code 3: first | second | the cause');
    expect((err as ToolFailedError).code).toBe(3);
    expect((err as ToolFailedError).stderr).toContain('warming up');
  });

  it('keeps only the tail of a huge stderr, and still ends with the cause', async () => {
    const err = await rejection(
      runTool(node, script('for (let i = 0; i < 4096; i++) process.stderr.write("x".repeat(255) + "\\n"); console.error("the cause"); process.exitCode = 1')),
    );
    const stderr = (err as ToolFailedError).stderr;
    expect(stderr.length).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(stderr.endsWith('the cause\n')).toBe(true);
    expect(err.message).toMatch(/the cause$/);
  });

  it('drains a large stdout while the child is still writing', async () => {
    const r = await runTool(node, script('process.stdout.write(Buffer.alloc(8 << 20, 7))'));
    expect(r.stdout.length).toBe(8 << 20);
  });

  it('kills the tool on timeout and says so', async () => {
    const proc = startTool(node, script('setInterval(() => {}, 1000)'), { timeoutMs: 300 });
    const err = await rejection(proc.done);
    expect(err).toBeInstanceOf(ToolTimeoutError);
    expect(err.message).toBe('node took longer than 0.3 s and was stopped');
    expect(isAlive(proc.child.pid)).toBe(false);
  });

  it('kills the tool when the signal aborts', async () => {
    const ac = new AbortController();
    const proc = startTool(node, script('console.error("busy"); setInterval(() => {}, 1000)'), { signal: ac.signal });
    proc.child.stderr!.once('data', () => ac.abort());
    const err = await rejection(proc.done);
    expect(err).toBeInstanceOf(ToolAbortedError);
    expect(err.message).toBe('node was cancelled and has been stopped');
    expect(isAlive(proc.child.pid)).toBe(false);
  });

  it('does not start at all with an already aborted signal', async () => {
    const err = await rejection(runTool(node, script('1'), { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(ToolAbortedError);
  });

  it('stops a tool that prints more than maxStdout', async () => {
    const err = await rejection(runTool(node, script('setInterval(() => process.stdout.write("x".repeat(65536)), 1)'), { maxStdout: 1 << 20 }));
    expect(err).toBeInstanceOf(ToolOutputTooLargeError);
  });

  it('collects extra pipes (fd 3, 4) when asked', async () => {
    const r = await runTool(
      node,
      script('const fs = require("fs"); fs.writeSync(3, "three"); fs.writeSync(4, "four")'),
      { stdio: 2 },
    );
    expect(r.extra.map(String)).toEqual(['three', 'four']);
  });

  it('turns a missing binary into MediaToolMissingError that names the fix', async () => {
    const err = await rejection(runTool('/nonexistent/ffprobe', ['-version']));
    expect(err).toBeInstanceOf(MediaToolMissingError);
    expect(err.message).toMatch(/^ffprobe could not be started from \/nonexistent\/ffprobe \(ENOENT\)\. Install ffmpeg/);
  });
});

describe('startTool', () => {
  it('rejects with the error passed to fail() and kills the tool', async () => {
    const proc = startTool(node, script('setInterval(() => process.stdout.write("x"), 5)'), { extraPipes: 1 });
    proc.stdout.pause(); // unread data must not keep `done` from settling
    proc.fail(new Error('consumer gave up'));
    const err = await rejection(proc.done);
    expect(err.message).toBe('consumer gave up');
    expect(isAlive(proc.child.pid)).toBe(false);
  });
});

describe('toolName', () => {
  it('is the base name without .exe', () => {
    expect(toolName('/usr/bin/ffmpeg')).toBe('ffmpeg');
    expect(toolName('C:\\ffmpeg\\bin\\ffprobe.exe')).toBe('ffprobe');
  });
});
