// Files from a drop. Electron hands folders to the core as paths (the core expands them), so the
// dropped entries go as they are. A browser cannot name a folder on disk: browser mode walks
// dropped folders itself and uploads the videos inside.

/** Extensions taken from inside dropped folders (a file dropped on its own is always tried). */
export const VIDEO_EXTENSIONS = /\.(mp4|m4v|mov|mkv|webm|avi|mpg|mpeg|mpe|ts|mts|m2ts|wmv|flv|ogv|3gp|mxf|dv)$/i;

export function isVideoName(name: string): boolean {
  return VIDEO_EXTENSIONS.test(name);
}

type Entry = FileSystemEntry;

function fileOf(entry: FileSystemFileEntry): Promise<File | null> {
  return new Promise((resolve) => entry.file(resolve, () => resolve(null)));
}

function readAll(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  return new Promise((resolve) => {
    // readEntries answers in batches (100 in Chromium) until an empty one.
    const next = () =>
      reader.readEntries(
        (batch) => {
          if (batch.length === 0) return resolve(out);
          out.push(...batch);
          next();
        },
        () => resolve(out),
      );
    next();
  });
}

async function walk(entry: Entry, top: boolean, out: File[]): Promise<void> {
  if (entry.isFile) {
    if (!top && (entry.name.startsWith('.') || !isVideoName(entry.name))) return;
    const file = await fileOf(entry as FileSystemFileEntry);
    if (file) out.push(file);
  } else if (entry.isDirectory) {
    const children = await readAll(entry as FileSystemDirectoryEntry);
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) await walk(child, false, out);
  }
}

/** Call during the drop event itself: the DataTransfer empties once the handler returns. */
export function collectDrop(dt: DataTransfer, walkFolders: boolean): Promise<File[]> {
  if (!walkFolders) return Promise.resolve([...dt.files]);
  const entries: Entry[] = [];
  const plain: File[] = [];
  for (const item of dt.items) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) plain.push(f);
    }
  }
  if (entries.length === 0 && plain.length === 0) return Promise.resolve([...dt.files]);
  return (async () => {
    const out = [...plain];
    for (const entry of entries) await walk(entry, true, out);
    return out;
  })();
}

/** Files picked with <input webkitdirectory>: only the videos, hidden files skipped. */
export function videosOfFolderPick(files: Iterable<File>): File[] {
  return [...files].filter((f) => !f.name.startsWith('.') && isVideoName(f.name));
}
