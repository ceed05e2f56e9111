/** A Web `Response` as a framework writes one: status, headers, cookies and the whole body. */
export interface ResponseParts {
  readonly status: number;
  /** Every header but `Set-Cookie`, one value each (a Web `Headers` joins repeats already). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * Reads the response whole: the SDK's answers are small JSON documents (a lead id, a call plan),
 * so a stream would buy nothing and a Buffer lets each framework set `Content-Length` itself.
 */
export async function responsePartsOf(response: Response): Promise<ResponseParts> {
  const headers: Array<readonly [string, string]> = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push([name, value]);
  });
  return {
    status: response.status,
    headers,
    cookies: response.headers.getSetCookie(),
    body: Buffer.from(await response.arrayBuffer()),
  };
}
