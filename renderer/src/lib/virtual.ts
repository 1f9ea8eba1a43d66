// Window math for the virtualised clip grid: which items a scroll position shows, and how tall
// the whole list would be. Pure, so it is tested without a layout engine; the grid renders only
// the items in [start, end), whatever the total (100 000 clips render a few dozen tiles).

export interface GridGeometry {
  /** Inner width of the scroll viewport, px. */
  width: number;
  /** Visible height of the scroll viewport, px. */
  height: number;
  scrollTop: number;
  total: number;
  /** Tiles are at least this wide; the columns share what is left. */
  minTileWidth: number;
  gap: number;
  /** Height of a tile below its 16:9 thumbnail. */
  captionHeight: number;
  /** Rows rendered above and below the visible ones. */
  overscan: number;
}

export interface GridWindow {
  columns: number;
  tileWidth: number;
  /** Tile height plus the gap below it. */
  rowHeight: number;
  rows: number;
  totalHeight: number;
  /** First rendered item (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** translateY of the first rendered row. */
  offsetY: number;
}

export function gridWindow(g: GridGeometry): GridWindow {
  const usable = Math.max(1, g.width - g.gap);
  const columns = Math.max(1, Math.floor(usable / (g.minTileWidth + g.gap)));
  const tileWidth = Math.max(1, Math.floor(usable / columns - g.gap));
  const rowHeight = Math.round((tileWidth * 9) / 16 + g.captionHeight + g.gap);
  const total = Math.max(0, Math.floor(g.total));
  const rows = Math.ceil(total / columns);
  const totalHeight = rows * rowHeight + g.gap;
  const maxTop = Math.max(0, totalHeight - g.height);
  const top = Math.min(Math.max(0, g.scrollTop), maxTop);
  const firstRow = Math.max(0, Math.floor(top / rowHeight) - g.overscan);
  const lastRow = Math.min(rows, Math.ceil((top + Math.max(0, g.height)) / rowHeight) + g.overscan);
  return {
    columns,
    tileWidth,
    rowHeight,
    rows,
    totalHeight,
    start: Math.min(total, firstRow * columns),
    end: Math.min(total, lastRow * columns),
    offsetY: firstRow * rowHeight,
  };
}

/** The scrollTop that brings item `index` fully into view (unchanged when it already is). */
export function scrollToShow(index: number, w: Pick<GridWindow, 'columns' | 'rowHeight'>, view: { scrollTop: number; height: number }, gap = 0): number {
  const row = Math.floor(index / w.columns);
  const top = row * w.rowHeight;
  const bottom = top + w.rowHeight + gap;
  if (top < view.scrollTop) return top;
  if (bottom > view.scrollTop + view.height) return Math.max(0, bottom - view.height);
  return view.scrollTop;
}

/** Page numbers (of `pageSize` items) that cover [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}
