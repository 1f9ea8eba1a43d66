// Browser-mode end-to-end harness: the real server (startServer) on a temp library with a real
// ReeltagService, the built renderer (renderer/dist), and Debian's Chromium driven by
// playwright-core. A missing build or browser fails loudly, never skips.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ReeltagService, type CoreConfig } from '../../main/core/service.js';
import { startServer, type RunningServer } from '../../main/server/index.js';
import { distUrl } from '../integration/ml/dist-check.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const rendererDist = path.join(root, 'renderer', 'dist');
/** Shared with `reeltag` runs here: converted model weights are reused. */
export const e2eCacheDir = path.join(root, '.cache', 'reeltag-cache');
export const CHROMIUM = process.env.REELTAG_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The built renderer, checked to exist and to be newer than its sources. */
export function checkRendererBuild(): void {
  const index = path.join(rendererDist, 'index.html');
  const fix = 'run `npm run build` (it runs vite build -c renderer/vite.config.ts; npm test builds first)';
  if (!fs.existsSync(index)) throw new Error(`renderer/dist/index.html is missing: ${fix}`);
  if (fs.statSync(index).mtimeMs < newestMtime(path.join(root, 'renderer', 'src'))) throw new Error(`renderer/dist is older than renderer/src: ${fix}`);
}

export interface E2E {
  dir: string;
  service: ReeltagService;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Browser errors and failed requests, for assertions and for debugging a failure. */
  problems: string[];
  close(): Promise<void>;
}

export interface E2EOptions {
  viewport?: { width: number; height: number };
  /** The service's config, given the run's temp folder (e.g. a copied library in it); default an empty library. */
  config?: (dir: string) => CoreConfig | Promise<CoreConfig>;
}

export async function startE2E(opts: E2EOptions = {}): Promise<E2E> {
  checkRendererBuild();
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set REELTAG_CHROMIUM)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-e2e-'));
  const config = opts.config
    ? await opts.config(dir)
    : {
        libraryDir: path.join(dir, 'library'),
        cacheDir: e2eCacheDir,
        workerUrl: distUrl('inference-worker'),
        maxSamples: 8,
      };
  const service = new ReeltagService(config);
  const server = await startServer({ service, port: 0, rendererDir: rendererDist, version: '0.0.0-e2e' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return {
    dir,
    service,
    server,
    browser,
    page,
    problems,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` in Node until it returns a truthy value. */
export async function until<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 60_000, everyMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
