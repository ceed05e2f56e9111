/**
 * Words Voximplant uses when the account itself stands in the way of a call, where no code says
 * so: "Insufficient funds" is a documented session `finish_reason` (CallSessionInfo in
 * voximplant/voxengine-ci 28.0.0 typings/voxengine.d.ts) and the 402 text of CallEvents.Failed;
 * the rest ("not enough money", a frozen or blocked account, "forbidden") are the phrasings the
 * management API and carriers are expected to use: their exact texts are unverified, so the
 * match is loose and case-blind.
 */
const ACCOUNT_REFUSAL_TEXT =
  /insufficient (funds|balance)|not enough (money|funds|balance)|payment required|(account|number) (is )?(frozen|blocked|suspended)|forbidden/i;

export function soundsLikeAccountRefusal(text: string | null | undefined): boolean {
  return ACCOUNT_REFUSAL_TEXT.test(text ?? '');
}

/** A notice is read on a phone: the platform's reason is kept whole up to this many characters. */
export const MAX_DETAIL_CHARS = 200;

/**
 * The sellers' text for a refused call: the platform's own words ("Insufficient funds"), trimmed
 * and bounded, or undefined when it said nothing (the engine then shows the code).
 */
export function refusalDetail(reason: string | null | undefined): string | undefined {
  const text = (reason ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}
