// The clip grid in Chromium with a library of 100 000 clips: the API answers are stubbed at the
// network layer (page.route), so this measures the UI alone. Only a window of tiles is ever in
// the DOM, pages are fetched as the view reaches them, and the last clip is one scroll away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../shared/types.js';
import { startE2E, until, type E2E } from './browser.js';

const TOTAL = 100_000;
let e: E2E;
const pages: number[] = [];

function clip(i: number): ClipRecord {
  const start = (i % 20) * 3;
  return {
    id: i + 1,
    mediaId: Math.floor(i / 20) + 1,
    mediaPath: `/footage/reel-${Math.floor(i / 20) + 1}.mp4`,
    start,
    end: start + 3,
    startFrame: start * 25,
    endFrame: start * 25 + 74,
    startTransition: null,
    endTransition: null,
    tags: [{ name: ['person', 'car', 'dog', 'boat'][i % 4]!, kind: 'object', confidence: 0.5 + (i % 50) / 100, source: 'model' }],
    hasThumbnail: false,
  };
}

beforeAll(async () => {
  e = await startE2E({ viewport: { width: 1280, height: 800 } });
  await e.page.route('**/api/listClips', async (route) => {
    const r = JSON.parse(route.request().postData() ?? '{}') as { limit?: number; offset?: number };
    const limit = r.limit ?? 100;
    const offset = r.offset ?? 0;
    pages.push(offset);
    const clips = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => clip(offset + k));
    await route.fulfill({ json: { ok: true, value: { clips, total: TOTAL, limit, offset } } });
  });
}, 120_000);
afterAll(async () => {
  await e?.close();
});

describe('the clip grid at 100 000 clips', () => {
  it('renders a window, fetches pages on the way, and reaches the end', async () => {
    const { page } = e;
    await page.goto(e.server.url);
    await until(async () => (await page.getByTestId('clip-count').textContent())?.trim() === '100,000 clips', 'the count');
    const grid = page.getByRole('listbox', { name: 'Clips' });
    await grid.locator('[data-clip-id="1"]').waitFor();
    const tiles = () => page.locator('[role=option]').count();
    expect(await tiles()).toBeLessThan(80);

    // Scroll through in steps, as a wheel would, and jump to the end.
    const height = await grid.evaluate((g) => g.scrollHeight);
    expect(height).toBeGreaterThan(1_000_000);
    const started = Date.now();
    for (let k = 1; k <= 20; k++) {
      await grid.evaluate((g, top) => (g.scrollTop = top), (height * k) / 40);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      expect(await tiles()).toBeLessThan(80);
    }
    const perStep = (Date.now() - started) / 20;
    await grid.evaluate((g) => (g.scrollTop = g.scrollHeight));
    await grid.locator(`[data-clip-id="${TOTAL}"]`).waitFor();
    expect(await tiles()).toBeLessThan(80);
    // Pages came for the places the view stopped at, not for everything in between.
    expect(pages.length).toBeLessThan(60);
    expect(pages).toContain(TOTAL - 200);

    // The keyboard reaches the first clip again from the end.
    await grid.click({ position: { x: 30, y: 30 } });
    await page.keyboard.press('Home');
    await grid.locator('[data-clip-id="1"][aria-selected="true"]').waitFor();
    expect(await grid.evaluate((g) => g.scrollTop)).toBe(0);
    expect(perStep).toBeLessThan(1000);
    expect(e.problems).toEqual([]);
  }, 120_000);
});
