// `npm run demo`: make a short sample video with several shots, ingest it into a demo
// library (.cache/demo/library, or $REELTAG_LIBRARY) and print the tagged clips.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main/cli/index.js';
import { locateBinaries } from '../main/core/media/index.js';
import { makeSampleVideo } from '../main/core/sample-video.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoDir = path.join(root, '.cache', 'demo');
const library = process.env.REELTAG_LIBRARY || path.join(demoDir, 'library');

const { ffmpeg } = locateBinaries();
const video = path.join(demoDir, 'sample-shots.mp4');
await fs.rm(library, { recursive: true, force: true });
console.log(`making ${path.relative(root, video)} (5 shots, 15 s, 640×360)…`);
const sample = await makeSampleVideo(ffmpeg, video);
console.log(`cuts at frames ${sample.cuts.join(', ')} of ${sample.frames}\n`);

let code = await main(['ingest', '--library', library, video]);
if (code === 0) code = await main(['clips', '--library', library]);
if (code === 0) {
  console.log('\nsearch "static":');
  code = await main(['search', '--library', library, 'static']);
}
console.log(`\nlibrary: ${library}`);
process.exitCode = code;
