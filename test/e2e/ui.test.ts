// The desktop UI in Chromium against the real browser-mode server and pipeline: drop videos
// (and a text file posing as one) through the page, watch the queue, browse the clips, open one
// in the player, edit tags, search, reload. Writes docs/screenshots/{library,clip-view}.png.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footage } from '../fixtures/debian.js';
import { multiShotVideo } from '../fixtures/generate.js';
import { root, startE2E, until, type E2E } from './browser.js';

const shots = path.join(root, 'docs', 'screenshots');
let e: E2E;

beforeAll(async () => {
  e = await startE2E({ viewport: { width: 1280, height: 800 } });
}, 120_000);
afterAll(async () => {
  await e?.close();
});

const rowStatus = (name: string) => e.page.locator(`.queue li[data-name="${name}"]`).getAttribute('data-status', { timeout: 1000 }).catch(() => null);
const countText = () => e.page.getByTestId('clip-count').textContent();

describe('Reeltag in the browser', () => {
  it('ingests dropped files, shows progress, clips, tags and failures', async () => {
    const { page } = e;
    await page.goto(e.server.url);
    // The token in the link became a cookie; the empty library invites a drop.
    expect(new URL(page.url()).search).toBe('');
    await page.getByTestId('drop-zone').waitFor();

    const notes = path.join(e.dir, 'notes.mp4');
    fs.writeFileSync(notes, 'shot list for Tuesday\n- beach\n- harbour at dusk\n');
    const video = multiShotVideo();
    const files = [video.path, footage.cockatoo(), notes];
    await page.getByTestId('file-input').setInputFiles(files);

    // Every file gets a row; watch the first one's bar go to done.
    const seen = new Set<string>();
    await until(async () => {
      const s = await rowStatus('multishot.mp4');
      if (s) seen.add(s);
      return s === 'ok';
    }, 'multishot.mp4 to finish', 240_000, 50);
    expect([...seen]).toEqual(expect.arrayContaining(['running', 'ok']));
    const bar = page.locator('.queue li[data-name="multishot.mp4"] [role=progressbar]');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('.queue li[data-name="multishot.mp4"]').textContent()).toMatch(/Done · \d+ clips/);

    await until(async () => (await rowStatus('cockatoo.mp4')) === 'ok', 'cockatoo.mp4 to finish', 240_000);
    await until(async () => (await rowStatus('notes.mp4')) === 'error', 'notes.mp4 to fail', 60_000);
    const reason = (await page.locator('.queue li[data-name="notes.mp4"] .reason').textContent())?.trim() ?? '';
    expect(reason.length).toBeGreaterThan(10);

    // The grid fills in from the library without a reload.
    const total = await until(async () => {
      const m = /^([\d,]+) clips$/.exec((await countText())?.trim() ?? '');
      return m && Number(m[1]!.replace(/,/g, '')) >= 6 ? Number(m[1]!.replace(/,/g, '')) : 0;
    }, 'the clips in the grid');
    const tiles = page.locator('[role=option][data-clip-id]');
    await until(async () => (await tiles.count()) === total, 'a tile per clip');
    expect(await page.locator('[role=option] .mini').count()).toBeGreaterThan(0);
    // Thumbnails load from /media/thumb.
    await until(() => page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('[role=option] img')].every((i) => i.complete && i.naturalWidth > 0)), 'thumbnails');
    // The failed file is listed with its error.
    expect(await page.locator('nav[aria-label=Filters] .row.failed').getAttribute('title')).toContain('notes.mp4');

    // The library screenshot: a selection, the queue open with its one failure.
    await page.locator('[role=option]').nth(1).click();
    await page.locator('[role=option]').nth(2).click({ modifiers: ['Control'] });
    await page.mouse.move(5, 790);
    await page.waitForTimeout(300);
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'library.png') });
    expect(e.problems.filter((p) => !/notes\.mp4|status of 4\d\d/.test(p))).toEqual([]);
  }, 600_000);

  it('opens a clip at its start, plays it, and keeps tag edits', async () => {
    const { page } = e;
    await page.keyboard.press('Escape');
    // The third clip of the generated video starts well after 0.
    const tile = page.locator('[role=option]', { hasText: 'multishot.mp4' }).nth(2);
    const clipId = Number(await tile.getAttribute('data-clip-id'));
    await tile.dblclick();
    const video = page.locator('.clip-view video');
    await video.waitFor();
    const start = Number(await video.getAttribute('data-clip-start'));
    expect(start).toBeGreaterThan(3);
    await until(() => page.evaluate(() => (document.querySelector('video')?.readyState ?? 0) >= 2), 'the video to load');
    const at = await page.evaluate(() => document.querySelector('video')!.currentTime);
    expect(Math.abs(at - start)).toBeLessThan(0.15);
    expect(await page.locator('.timeline .shot.current').getAttribute('data-clip-id')).toBe(String(clipId));
    expect(await page.locator('.timeline .lane').count()).toBeGreaterThan(0);

    // Space plays and pauses.
    await page.locator('.clip-view header h1').click();
    await page.keyboard.press(' ');
    await until(() => page.evaluate(() => !document.querySelector('video')!.paused && document.querySelector('video')!.currentTime > 0), 'playback');
    await page.keyboard.press(' ');
    await until(() => page.evaluate(() => document.querySelector('video')!.paused), 'pause');

    // Add two tags, remove one with Delete on its chip.
    const panel = page.getByRole('complementary', { name: 'Tags of this clip' });
    const add = panel.getByRole('textbox', { name: 'Add tag' });
    await add.fill('harbour keeper');
    await add.press('Enter');
    await panel.locator('.chip[data-tag="harbour keeper"]').waitFor();
    expect(await panel.locator('.chip[data-tag="harbour keeper"]').textContent()).toContain('you');
    await add.fill('scratch');
    await add.press('Enter');
    const scratch = panel.locator('.chip[data-tag="scratch"] button.main');
    await scratch.focus();
    await page.keyboard.press('Delete');
    await panel.locator('.chip[data-tag="scratch"]').waitFor({ state: 'detached' });
    // Its lane on the timeline came with it.
    await page.locator('.timeline .lane[data-tag="harbour keeper"]').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.getByRole('button', { name: 'Close queue' }).click();
    // A frame inside the clip, fully decoded (no seek spinner) for the screenshot.
    await page.locator('.clip-view video').evaluate(
      (v: HTMLVideoElement, t) =>
        new Promise<void>((resolve) => {
          v.addEventListener('seeked', () => resolve(), { once: true });
          v.currentTime = t + 0.4;
        }),
      start,
    );
    await until(() => page.evaluate(() => document.querySelector('video')!.readyState >= 3), 'the frame');
    await page.mouse.move(5, 790);
    await page.waitForTimeout(700);
    await page.screenshot({ path: path.join(shots, 'clip-view.png') });

    // Search finds the kept tag, not the removed one.
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await page.keyboard.type('harbour keeper');
    await page.keyboard.press('Enter');
    await until(async () => (await countText())?.trim() === '1 matching clips', 'search for the new tag');
    expect(await page.locator('[role=option]').first().getAttribute('data-clip-id')).toBe(String(clipId));
    await page.getByRole('searchbox', { name: 'Search' }).fill('scratch');
    await page.keyboard.press('Enter');
    await until(async () => (await countText())?.trim() === '0 matching clips', 'no clip for the removed tag');

    // After a reload the edit is still there.
    await page.reload();
    await page.locator('[role=option][data-clip-id]').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('keeper');
    await page.keyboard.press('Enter');
    await until(async () => (await countText())?.trim() === '1 matching clips', 'the edit after a reload');
    await page.locator('[role=option]').first().dblclick();
    await page.getByRole('complementary', { name: 'Tags of this clip' }).locator('.chip.user[data-tag="harbour keeper"]').waitFor();
    expect(await page.locator('.chip[data-tag="scratch"]').count()).toBe(0);
  }, 300_000);
});
