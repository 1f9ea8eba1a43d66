// The app's own URLs. The renderer is served from a privileged custom scheme (not file://: a
// Vite build's module scripts are blocked there), so "is this our window?" is a URL test.
import { MEDIA_SCHEME } from '../../shared/contract.js';

export const APP_SCHEME = 'reeltag-app';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged (before app 'ready'). */
export const PRIVILEGED_SCHEMES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  // stream: a <video> reads it in ranges while it plays and seeks.
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
];

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
