import { z } from 'zod';
import { PROTOCOL_VERSION } from './headers.js';

/**
 * `script_custom_data` of a started scenario. It is kept with the session and readable by anyone
 * with access to the account's call history, so it holds only an unguessable call reference and the
 * URL to fetch the plan from: no phone, no name, no secret. JSON with short keys keeps it far under
 * the 200 bytes VoxEngine allows for custom data it sets itself (the StartScenarios cap is unverified).
 */
export const CustomData = z.object({
  v: z.literal(PROTOCOL_VERSION),
  /** The call reference (see deriveCallRef). */
  r: z.string().min(16).max(64),
  /** The call-plan URL; the scenario POSTs the reference there. */
  u: z.url({ protocol: /^https?$/ }),
});
export type CustomData = z.output<typeof CustomData>;

export const MAX_CUSTOM_DATA_BYTES = 200;

/** The exact string sent, with fixed key order, so call history can be searched for it again. */
export function encodeCustomData(callRef: string, planUrl: string): string {
  const text = JSON.stringify({ v: PROTOCOL_VERSION, r: callRef, u: planUrl });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CUSTOM_DATA_BYTES)
    throw new RangeError(`custom data is ${bytes} bytes, over ${MAX_CUSTOM_DATA_BYTES}: shorten callbackUrl`);
  return text;
}
