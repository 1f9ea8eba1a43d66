// jsdom has no media playback: play/pause only flip `paused` here, as a player would.
import '@testing-library/jest-dom/vitest';

Object.defineProperty(HTMLMediaElement.prototype, 'paused', {
  configurable: true,
  get(this: HTMLMediaElement & { _paused?: boolean }) {
    return this._paused ?? true;
  },
});
HTMLMediaElement.prototype.play = function (this: HTMLMediaElement & { _paused?: boolean }) {
  this._paused = false;
  this.dispatchEvent(new Event('play'));
  return Promise.resolve();
};
HTMLMediaElement.prototype.pause = function (this: HTMLMediaElement & { _paused?: boolean }) {
  this._paused = true;
  this.dispatchEvent(new Event('pause'));
};
HTMLMediaElement.prototype.load = function () {};
