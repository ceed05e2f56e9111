// Times of day are written 'HH:mm' in the config and compared as minutes since local midnight.

/** 00:00–23:59: where an interval may begin. */
export const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** 00:00–24:00: where an interval may end; '24:00' is the end of the day. */
export const END_CLOCK_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const MINUTES_PER_DAY = 24 * 60;

/** Minutes since midnight of an 'HH:mm' string already validated by the schema. */
export function clockMinutes(time: string): number {
  const [hours, minutes] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}
