import { request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * One request over a real socket with node:http, which (unlike fetch) sends a body exactly as
 * given: a Buffer with its Content-Length, or chunks with `Transfer-Encoding: chunked` and none.
 * A write error after the answer arrived (the server refused the rest of a body) is not a failure.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | readonly Buffer[] },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const { body } = options;
    const headers = { ...options.headers };
    if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
    let answered = false;
    const outgoing = request(url, { method: options.method ?? 'POST', headers, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body === undefined) outgoing.end();
    else if (Buffer.isBuffer(body)) outgoing.end(body);
    else {
      for (const chunk of body) outgoing.write(chunk);
      outgoing.end();
    }
  });
}
