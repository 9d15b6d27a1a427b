import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/** Response headers read by name, case-insensitively (the part of fetch's `Headers` the client uses). */
export interface ResponseHeaders {
  /** The value, repeated headers joined with ", " (as `Headers.get` does); null when absent. */
  get(name: string): string | null;
}

/** A response with its body still unread (a Node stream: cheaper per byte than fetch's web streams). */
export interface Exchange {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: IncomingMessage;
}

/**
 * The headers Node parsed, lower-cased and with repeats joined. Not the global `Headers`: its
 * first use loads Node's bundled undici (tens of ms of start-up for every CLI process).
 */
export function headersOf(message: Pick<IncomingMessage, 'headers'>): ResponseHeaders {
  return {
    get(name) {
      const value = message.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

export interface ExchangeRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
}

/** The header timeout fired: the registry accepted the connection but never answered. */
export class NoAnswerError extends Error {}

const MAX_REDIRECTS = 5;

/**
 * HTTP/1.1 with keep-alive connections, a bound on the wait for response headers, and
 * redirects followed for GET/HEAD (a registry may send blob reads to its store). The
 * Authorization header never follows a redirect to another origin.
 */
export class Transport {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(private readonly timeoutMs: number) {}

  async exchange(url: URL, req: ExchangeRequest): Promise<Exchange> {
    let target = url;
    let headers = req.headers;
    for (let hop = 0; ; hop++) {
      const res = await this.once(target, { ...req, headers });
      const location = res.headers.get('location');
      const redirect = [301, 302, 303, 307, 308].includes(res.status) && location && (req.method === 'GET' || req.method === 'HEAD');
      if (!redirect || hop >= MAX_REDIRECTS) return res;
      res.body.resume();
      const next = new URL(location, target);
      if (next.origin !== target.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
      target = next;
    }
  }

  private once(url: URL, req: ExchangeRequest): Promise<Exchange> {
    const lib = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body) headers['content-length'] = String(req.body.byteLength);
      const request = lib.request(url, { method: req.method, headers, agent });
      const timer = setTimeout(() => request.destroy(new NoAnswerError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      request.once('response', (body) => {
        clearTimeout(timer);
        resolve({ status: body.statusCode ?? 0, headers: headersOf(body), body });
      });
      request.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      request.end(req.body);
    });
  }
}
