import type { Transition } from '../../../../shared/types.js';
import type { FeatureTrack } from './features.js';

/**
 * Finds transitions in a video's every-frame features. The histogram detector below is the
 * first implementation; the LSTM tagger replaces it behind this same interface.
 */
export interface ShotDetector {
  readonly name: string;
  detect(track: FeatureTrack, fps: number): Promise<Transition[]>;
}
