// Content-Security-Policy and friends for the renderer, in Electron and in browser mode. Scripts
// only from the app itself (no inline, no eval); media and images from the app or the media
// protocol; no plugins, frames, forms or <base>.

export function contentSecurityPolicy(opts: { mediaSources: string[] }): string {
  const media = ["'self'", ...opts.mediaSources, 'blob:'].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte sets element styles at run time; no script can come in through a style.
    "style-src 'self' 'unsafe-inline'",
    `img-src ${media} data:`,
    `media-src ${media}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

/** Headers every response of the HTTP server carries. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
