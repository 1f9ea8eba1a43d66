// A tiny HTTP client for the server tests: node:http, so Host and Origin can be anything.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: <T = unknown>() => T;
}

export function request(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer | Buffer[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // A connection of its own per request: a kept-alive socket the server closes after an early
    // refusal (an unread body) would otherwise fail the next request with a reset.
    const req = http.request({ host: '127.0.0.1', port, path, agent: false, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString(), json: <T>() => JSON.parse(body.toString()) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (Array.isArray(opts.body)) {
      // Chunked, without Content-Length.
      for (const chunk of opts.body) req.write(chunk);
      req.end();
    } else req.end(opts.body);
  });
}

/** Opens an event stream; resolves once the server's first line (retry) arrived. */
export function openEvents(port: number, headers: Record<string, string>): Promise<{ events: Array<{ event: string; data: unknown }>; close: () => void; status: number }> {
  return new Promise((resolve, reject) => {
    const events: Array<{ event: string; data: unknown }> = [];
    const req = http.request({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let buffer = '';
      let opened = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
        if (!opened) {
          opened = true;
          resolve({ events, close: () => req.destroy(), status: res.statusCode ?? 0 });
        }
      });
      if (res.statusCode !== 200) resolve({ events, close: () => req.destroy(), status: res.statusCode ?? 0 });
    });
    req.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}
