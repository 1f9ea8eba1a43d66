// Who may talk to the browser-mode server: only a page from this very server (Host and Origin
// checks stop DNS rebinding and other sites), and only with this run's token (other local users
// and processes cannot guess it). Pure functions of the request headers.
import { timingSafeEqual } from 'node:crypto';

/** The Host values a browser sends for this server; anything else is a rebinding attempt. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/**
 * For state-changing requests. A browser always sends Origin on a cross-origin POST (and on a
 * same-origin one); clients that send none (curl with the bearer token) are not a browser.
 */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

/** The cookie is per port: two servers on one machine must not share tokens. */
export function tokenCookieName(port: number): string {
  return `reeltag_token_${port}`;
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}

export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
