import type { Download } from './methods/types.js';

/** How many redirects the portal's HTTP client follows (Bitrix's HttpClient default: 5). */
const MAX_REDIRECTS = 5;
/** A recording past this is not a test fixture any more: refused as a failed download. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface RecordDownloadOptions {
  /**
   * Origins (`http://127.0.0.1:4100`) the simulated portal can reach: on loopback everything is
   * "local", so only these count as public. Any other URL fails as a private address does on the
   * real portal, without a connection being made (tests never leave loopback).
   */
  publicOrigins: Set<string>;
  /** The portal gives up on a download after this long (the cloud's request limit is 60 s). */
  timeoutMs: number;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Normalises an origin as given by a test (`http://127.0.0.1:4100/` → `http://127.0.0.1:4100`). */
export function recordOrigin(origin: string): string {
  const normal = originOf(origin);
  if (normal === undefined) throw new Error(`not an http(s) origin: ${origin}`);
  return normal;
}

/**
 * What the portal does with attachRecord's RECORD_URL (telephony-external-call-attach-record.md:
 * "Bitrix24 will download the file from the link"): a GET with a deadline, redirects followed and
 * each hop checked, 200 or nothing. `status` 0 means no HTTP answer (private address, refused,
 * timed out), which the portal reports as "Server returns HTTP error code 0" (unverified wording
 * for this case; the text is the documented one for HTTP errors).
 */
export async function downloadRecord(url: string, options: RecordDownloadOptions): Promise<Download> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const origin = originOf(current);
    if (origin === undefined || !options.publicOrigins.has(origin)) return { ok: false, status: 0 };
    let response: Response;
    try {
      response = await fetch(current, { redirect: 'manual', signal });
    } catch {
      return { ok: false, status: 0 };
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, status: response.status };
    }
    try {
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > MAX_RECORD_BYTES) return { ok: false, status: 0 };
      return { ok: true, bytes, url: current };
    } catch {
      return { ok: false, status: 0 }; // the body broke off or the deadline passed mid-body
    }
  }
  return { ok: false, status: 0 };
}
