/**
 * How an SMS template becomes a text. Placeholders: `{name}`, `{shop}`, `{orderSum}`,
 * `{shopPhone}`; an unknown one is left as typed. A part in square brackets that holds a
 * placeholder is optional: it is kept (without its brackets) when every placeholder in it has a
 * value, and dropped whole otherwise, so `[{name}, ]заказ принят` reads well with or without a
 * name, and `[ Звоните: {shopPhone}.]` disappears for a shop that gave no phone. Brackets around
 * plain text, or around an unknown placeholder, are left as typed.
 */
export interface SmsValues {
  readonly name: string;
  readonly shop: string;
  readonly orderSum?: number | undefined;
  readonly currency?: string | undefined;
  readonly shopPhone?: string | undefined;
}

const PLACEHOLDER = /\{(\w+)\}/g;
/** An optional part holding a placeholder, or a placeholder alone: both in one pass. */
const PART = /\[([^[\]]*\{\w+\}[^[\]]*)\]|\{(\w+)\}/g;

/**
 * What a stranger can type as their name ends up in an SMS the shop pays for and signs: only
 * something that looks like a personal name is rendered — letters of any script (with their
 * combining marks), single spaces, hyphens and apostrophes between them, at most 40 characters.
 * A link, a phone number or a sentence with punctuation renders as nothing.
 */
const PLAUSIBLE_NAME = /^[\p{L}\p{M}]+(?:[ '’ʼ-][\p{L}\p{M}]+)*$/u;
const MAX_NAME_CHARS = 40;

export function plausibleName(name: string): string {
  const trimmed = name.normalize('NFC').trim();
  if ([...trimmed].length > MAX_NAME_CHARS) return '';
  return PLAUSIBLE_NAME.test(trimmed) ? trimmed : '';
}

export function renderSmsText(template: string, values: SmsValues): string {
  const sum = values.orderSum === undefined ? '' : sumFormat(values.currency).format(values.orderSum);
  const table: Record<string, string> = {
    name: plausibleName(values.name),
    shop: values.shop,
    orderSum: sum,
    shopPhone: values.shopPhone ?? '',
  };
  const fill = (text: string) => text.replace(PLACEHOLDER, (whole, key: string) => table[key] ?? whole);
  let droppedAtStart = false;
  const text = template.replace(
    PART,
    (whole, optional: string | undefined, key: string | undefined, at: number) => {
      if (key !== undefined) return table[key] ?? whole;
      const inner = optional ?? '';
      const values = [...inner.matchAll(PLACEHOLDER)].map(([, name]) => table[name as string]);
      // A typo in a placeholder is left for the shop to see, brackets and all.
      if (values.includes(undefined)) return whole;
      if (values.every((value) => value !== '')) return fill(inner);
      if (at === 0) droppedAtStart = true;
      return '';
    },
  );
  // "[{name}, ]заказ принят" without a name starts with a small letter: the sentence's first.
  return droppedAtStart ? capitalise(text) : text;
}

function capitalise(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const char = String.fromCodePoint(first);
  return char.toLocaleUpperCase('ru-RU') + text.slice(char.length);
}

/** Building an Intl.NumberFormat costs about 100 µs, using one about 1 µs: one per currency. */
const sumFormats = new Map<string, Intl.NumberFormat>();

function sumFormat(currency: string | undefined): Intl.NumberFormat {
  const key = currency ?? '';
  let format = sumFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('ru-RU', {
      style: currency ? 'currency' : 'decimal',
      currency,
      maximumFractionDigits: 2,
    });
    sumFormats.set(key, format);
  }
  return format;
}
