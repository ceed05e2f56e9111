// GSM 03.38: the basic table costs one septet a character; the extension table is reached through
// an escape, so each of its characters costs two. Anything outside both forces the whole text into
// UCS-2 (UTF-16 code units), which is why one Cyrillic letter makes an SMS 70 characters long.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

// A single SMS carries 140 bytes; a part of a concatenated one loses 6 to the UDH header
// (160 → 153 septets, 70 → 67 UCS-2 characters).
const GSM7_SINGLE = 160;
const GSM7_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegmentInfo {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
  readonly units: number;
  readonly segments: number;
}

/** How a text is encoded and how many parts it is billed as. An empty text is one (empty) part. */
export function analyseSms(text: string): SmsSegmentInfo {
  const chars = [...text];
  if (chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c))) {
    const costs = chars.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1));
    return { encoding: 'gsm7', ...pack(costs, GSM7_SINGLE, GSM7_PART) };
  }
  // A character beyond the BMP (an emoji) is a surrogate pair: two code units that phones never
  // split across parts.
  const costs = chars.map((c) => c.length);
  return { encoding: 'ucs2', ...pack(costs, UCS2_SINGLE, UCS2_PART) };
}

/** The number of SMS parts a text is billed as: 160/153 for GSM-7, 70/67 for UCS-2 (Cyrillic). */
export function countSmsSegments(text: string): number {
  return analyseSms(text).segments;
}

/**
 * Fills parts greedily. An escape pair (GSM-7) or a surrogate pair (UCS-2) is never split, so a
 * part may end one unit short — the arithmetic `ceil(units / 153)` undercounts such texts.
 */
function pack(costs: readonly number[], single: number, part: number): { units: number; segments: number } {
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  if (units <= single) return { units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { units, segments };
}
