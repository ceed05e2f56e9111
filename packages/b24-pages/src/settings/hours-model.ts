import type { SettingsForm } from './settings-model.js';

export type WeekdayKey = keyof SettingsForm['tenant']['hours']['week'];

export const WEEKDAYS: readonly { readonly key: WeekdayKey; readonly label: string }[] = [
  { key: 'mon', label: 'Monday' },
  { key: 'tue', label: 'Tuesday' },
  { key: 'wed', label: 'Wednesday' },
  { key: 'thu', label: 'Thursday' },
  { key: 'fri', label: 'Friday' },
  { key: 'sat', label: 'Saturday' },
  { key: 'sun', label: 'Sunday' },
];

export function dayOpen(form: SettingsForm, day: WeekdayKey): boolean {
  return form.tenant.hours.week[day] !== null;
}

/** A closed day is null (the API's own "closed"); opening it starts from the usual 09:00–21:00. */
export function setDayOpen(form: SettingsForm, day: WeekdayKey, open: boolean): void {
  form.tenant.hours.week[day] = open ? (form.tenant.hours.week[day] ?? { from: '09:00', to: '21:00' }) : null;
}

export function setQuietHours(form: SettingsForm, on: boolean): void {
  form.tenant.hours.customerQuietHours = on
    ? (form.tenant.hours.customerQuietHours ?? { from: '21:00', to: '09:00' })
    : null;
}
