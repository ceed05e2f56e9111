/**
 * How many SMS segments a text is billed as (3GPP TS 23.038): in the GSM 7-bit alphabet 160
 * characters fit one message and 153 each part of a longer one, the extension characters
 * (`{}[]~|^€\`) taking two; any other character (Cyrillic) switches the whole text to UCS-2:
 * 70, then 67 per part, counted in UTF-16 units (an emoji takes two).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsSegments {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Characters as billed: septets for GSM-7, UTF-16 units for UCS-2. */
  readonly units: number;
  readonly segments: number;
  /** What one segment holds at this length (160/153 or 70/67). */
  readonly perSegment: number;
}

export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (BASIC.has(char)) septets += 1;
    else if (EXTENDED.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return count('GSM-7', septets, 160, 153);
  return count('UCS-2', text.length, 70, 67);
}

function count(encoding: SmsSegments['encoding'], units: number, single: number, part: number): SmsSegments {
  if (units === 0) return { encoding, units, segments: 0, perSegment: single };
  if (units <= single) return { encoding, units, segments: 1, perSegment: single };
  return { encoding, units, segments: Math.ceil(units / part), perSegment: part };
}
