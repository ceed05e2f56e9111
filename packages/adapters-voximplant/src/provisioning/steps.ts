import { AuthError, type PortError, RateLimitedError, TransientError, toPortError } from '@prozvon/sdk';
import type { z } from 'zod';
import type { ApiParams, ManagementClient } from '../management/client.js';

/** One provisioning request: its method, its parameters and the schema of its answer. */
export type Step = <Schema extends z.ZodType>(
  what: string,
  method: string,
  params: ApiParams,
  answer: Schema,
) => Promise<z.output<Schema>>;

/**
 * Provisioning's requests on `client` under the caller's `signal`: each one's answer checked, its
 * failure a PortError of the same kind that names the step (`Voximplant setup, uploading the
 * scenario (AddScenario): …`), so the shop owner reads what did not happen. Each request ends at
 * the client's timeout or at `signal`.
 */
export function stepsOn(client: ManagementClient, signal: AbortSignal | undefined): Step {
  return async (what, method, params, answer) => {
    const prefix = `Voximplant setup, ${what} (${method})`;
    let body: unknown;
    try {
      body = await client.call(method, params, signal);
    } catch (error) {
      throw named(prefix, toPortError(error));
    }
    const parsed = answer.safeParse(body);
    if (!parsed.success)
      throw new TransientError(`${prefix}: the answer is not in the documented shape`, {
        cause: parsed.error,
      });
    return parsed.data;
  };
}

function named(prefix: string, error: PortError): PortError {
  const options = { cause: error };
  if (error instanceof AuthError)
    return new AuthError(
      `${prefix}: Voximplant refused the service account key — check the account id, the key id and ` +
        `the private key (the key's JSON file from Settings → Service accounts). ${error.message}`,
      options,
    );
  if (error instanceof RateLimitedError)
    return new RateLimitedError(`${prefix}: ${error.message}`, error.retryAfterMs, options);
  const Kind = error.constructor as new (message: string, options: { cause: unknown }) => PortError;
  return new Kind(`${prefix}: ${error.message}`, options);
}

/** Page size for the Get* searches; the docs give no default or maximum (unverified). */
export const PAGE = 100;
/** A name search matches parts of names, so a few pages may pass before the exact one. */
const MAX_PAGES = 20;

/**
 * The first item `matches` accepts, reading page after page of a Get* method; undefined when
 * none does. The API's name filters match a part of the name, so the exact one is picked here.
 */
export async function findIn<Item>(
  fetchPage: (offset: number) => Promise<{ result: Item[]; total_count?: number | undefined }>,
  matches: (item: Item) => boolean,
): Promise<Item | undefined> {
  for (let pageNo = 0, offset = 0; pageNo < MAX_PAGES; pageNo++) {
    const { result, total_count } = await fetchPage(offset);
    const found = result.find(matches);
    if (found !== undefined) return found;
    offset += result.length;
    const last = total_count === undefined ? result.length < PAGE : offset >= total_count;
    if (result.length === 0 || last) return undefined;
  }
  return undefined;
}
