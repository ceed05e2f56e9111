/**
 * Input hygiene: what a customer typed into a shop's form, reduced to its digits and whether it
 * was written in international form. It decides nothing about the number itself.
 */
export type CleanInput =
  | { readonly kind: 'empty' }
  | { readonly kind: 'junk' }
  | { readonly kind: 'digits'; readonly digits: string; readonly international: boolean };

// Invisible marks that phones and messengers add when a contact is copied (bidi isolates around
// "+7 916…", zero-width spaces, a BOM, a soft hyphen). They carry no meaning, so they go first.
const invisible = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

// Everything a person uses to group digits: whitespace (incl. no-break and thin spaces), round
// and square brackets, dots, and the dashes a keyboard or autocorrect produces (hyphen-minus,
// U+2010–U+2015, minus sign). One optional leading `+`. No nested quantifiers, so the test is a
// single linear pass even on a megabyte of input.
const wellFormed = /^\+?[\s()[\].\-\u2010-\u2015\u2212\d]*$/;

const nonDigits = /\D/g;

/**
 * Anything else (letters, emoji, `#`, `*`, `/`, a comma between two numbers) makes the input junk:
 * dropping letters silently would turn "8 (916) 123-45-67 доб. 5" into a call to an office
 * switchboard, and "+7 916 123 4567 или 8 495…" into a number nobody wrote.
 */
export function cleanInput(raw: string): CleanInput {
  const text = raw.replace(invisible, '').trim();
  if (text === '') return { kind: 'empty' };
  if (!wellFormed.test(text)) return { kind: 'junk' };

  const digits = text.replace(nonDigits, '');
  // Separators without a digit ("+", "( ) -") are what an untouched form field submits.
  if (digits === '') return { kind: 'empty' };

  if (text.startsWith('+')) return { kind: 'digits', digits, international: true };
  // `00` is the international prefix in most of the world (ITU E.164 recommends it) and people
  // copy it from business cards; we read it as `+`. Russia's old `8~10` prefix is not supported:
  // "8 10 …" falls into the trunk-prefix rule and ends too long or invalid, never a wrong call.
  if (digits.startsWith('00')) return { kind: 'digits', digits: digits.slice(2), international: true };
  return { kind: 'digits', digits, international: false };
}
