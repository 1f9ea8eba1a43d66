// Child process for the kill tests: edits the user's tags of an existing library in a tight loop
// until it is killed. Plain JS on the built library (dist/), so it starts like the app would.
// usage: node tag-edits.mjs <library dir> <seed>
// Prints "ready" once the first edit is committed. Every "pair" edit sets two tags on two clips in
// one transaction (`pair-<seed>-<i>-a` and `-b`): after a kill, both must exist or neither.
import fs from 'node:fs';
import process from 'node:process';
import { openLibrary } from '../../../dist/main/core/library/index.js';

const [dir, seedArg] = process.argv.slice(2);
const seed = Number(seedArg);
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (items) => items[Math.floor(random() * items.length)];

const lib = openLibrary(dir);
const clipIds = lib.db.prepare('SELECT id FROM clips ORDER BY id').pluck().all();
if (clipIds.length === 0) throw new Error(`no clips in ${dir}`);
const tagNamesOf = lib.db.prepare('SELECT t.name FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.clip_id = ?').pluck();

for (let i = 0; ; i++) {
  const clip = pick(clipIds);
  const r = random();
  if (r < 0.35) {
    lib.tags.setUserTag(clip, `mood-${Math.floor(random() * 12)}`);
  } else if (r < 0.55) {
    lib.tags.removeUserTag(clip, `mood-${Math.floor(random() * 12)}`, 'custom');
  } else if (r < 0.75) {
    // The user's "no" to whatever the clip carries, the model's tags included.
    const names = tagNamesOf.all(clip);
    if (names.length > 0) lib.tags.removeUserTag(clip, pick(names));
  } else {
    const other = pick(clipIds);
    lib.transaction(() => {
      lib.tags.setUserTag(clip, `pair-${seed}-${i}-a`);
      lib.tags.setUserTag(other, `pair-${seed}-${i}-b`);
    });
  }
  if (i === 0) fs.writeSync(1, 'ready\n');
}
