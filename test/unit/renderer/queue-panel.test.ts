import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import QueuePanel from '../../../renderer/src/components/queue-panel.svelte';
import type { QueueItem } from '../../../renderer/src/stores/queue.svelte.js';

const item = (over: Partial<QueueItem>): QueueItem => ({ key: 'j1', jobId: 1, name: 'a.mp4', status: 'pending', stage: null, fraction: 0, error: null, clips: null, ...over });

describe('QueuePanel', () => {
  it("shows each file's progress, a failed file's reason, and cancels", async () => {
    const oncancel = vi.fn();
    const oncancelall = vi.fn();
    const items = [
      item({ key: 'j1', jobId: 1, name: 'beach.mp4', status: 'ok', fraction: 1, clips: 6 }),
      item({ key: 'j2', jobId: 2, name: 'notes.mp4', status: 'error', error: 'ffprobe: notes.mp4 is not a video (Invalid data found when processing input)' }),
      item({ key: 'j3', jobId: 3, name: 'city.mov', status: 'running', stage: 'decode', fraction: 0.42 }),
      item({ key: 'u1', jobId: null, name: 'big.mkv', status: 'uploading', fraction: 0.3 }),
    ];
    render(QueuePanel, { props: { items, oncancel, oncancelall, onclear: vi.fn(), onclose: vi.fn() } });

    const rows = screen.getAllByRole('listitem');
    // Newest first.
    expect(rows.map((r) => r.dataset.name)).toEqual(['big.mkv', 'city.mov', 'notes.mp4', 'beach.mp4']);
    const failed = within(rows[2]!);
    expect(failed.getByText('Failed')).toBeInTheDocument();
    expect(failed.getByText('ffprobe: notes.mp4 is not a video (Invalid data found when processing input)')).toBeInTheDocument();
    expect(within(rows[3]!).getByText('Done · 6 clips')).toBeInTheDocument();
    expect(within(rows[3]!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(within(rows[1]!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '42');
    expect(within(rows[1]!).getByText('Analysing 42%')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Uploading 30%')).toBeInTheDocument();
    expect(screen.getByText('2 in progress')).toBeInTheDocument();

    await fireEvent.click(screen.getByRole('button', { name: 'Cancel city.mov' }));
    expect(oncancel).toHaveBeenCalledWith(expect.objectContaining({ jobId: 3 }));
    expect(screen.queryByRole('button', { name: 'Cancel beach.mp4' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel all' }));
    expect(oncancelall).toHaveBeenCalled();
  });

  it('explains itself when empty', () => {
    render(QueuePanel, { props: { items: [], oncancel: vi.fn(), oncancelall: vi.fn(), onclear: vi.fn(), onclose: vi.fn() } });
    expect(screen.getByText(/Drop videos or folders anywhere/)).toBeInTheDocument();
  });
});
