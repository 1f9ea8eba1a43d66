// Runs once before the test files (which run in parallel): makes the shared generated videos
// and fetches the Debian packages, so no two test processes build the same fixture at once.
import { footage, photos } from './fixtures/debian.js';
import { multiShotVideo } from './fixtures/generate.js';
import { kindVideos } from './fixtures/kinds.js';

export default function setup(): void {
  multiShotVideo();
  footage.cockatoo();
  footage.diver();
  photos.dog();
  kindVideos();
}
