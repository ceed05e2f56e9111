// GSM 03.38 basic characters (a close approximation: the extension table's characters such as
// `{` or `€` count twice on a real network, here once). Anything else forces UCS-2.
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/**
 * How many SMS parts a text takes: 160/153 characters for GSM-7, 70/67 for UCS-2 (Cyrillic).
 * MESSAGING.md marks the exact SMS.ru arithmetic unverified; this is the standard one.
 */
export function smsParts(text: string): number {
  const gsm = GSM7.test(text);
  const length = gsm ? text.length : [...text].length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  if (length <= single) return 1;
  return Math.ceil(length / multi);
}
