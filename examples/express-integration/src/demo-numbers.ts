import type { PhonePreset } from '@prozvon/testkit';
import type { DemoNumber } from './page.js';

export interface DemoPhone extends DemoNumber {
  /** E.164 digits, as the Voximplant simulator is dialled. */
  readonly digits: string;
  readonly preset: PhonePreset;
  /** Answers the call after a failed one (the retry path). */
  readonly answersRetry?: boolean;
}

/** The numbers `npm start` prints and the shop page lists, and what each virtual phone does. */
export const DEMO_PHONES: readonly DemoPhone[] = [
  { phone: '+7 916 000-00-01', digits: '79160000001', preset: 'answers', behaviour: 'отвечает' },
  {
    phone: '+7 916 000-00-02',
    digits: '79160000002',
    preset: 'answering-machine',
    behaviour: 'автоответчик',
  },
  {
    phone: '+7 916 000-00-03',
    digits: '79160000003',
    preset: 'no-answer',
    answersRetry: true,
    behaviour: 'не отвечает, отвечает на повторный звонок через 30 минут',
  },
  {
    phone: '+7 916 000-00-04',
    digits: '79160000004',
    preset: 'no-answer',
    behaviour: 'никогда не отвечает (3 попытки, потом вручную)',
  },
  { phone: '+7 916 000-00-05', digits: '79160000005', preset: 'busy', behaviour: 'занято' },
  {
    phone: '+7 916 000-00-06',
    digits: '79160000006',
    preset: 'does-not-exist',
    behaviour: 'номер не существует',
  },
  {
    phone: '+7 916 000-00-07',
    digits: '79160000007',
    preset: 'never-calls-back',
    behaviour: 'отвечает, но результат не приходит (сверка с историей звонков)',
  },
];

/** Not a callable number at all: ends in call.invalid without a call. */
export const UNUSABLE_DEMO_PHONE = { phone: '+7 916 000-00-01-99', behaviour: 'слишком длинный: не звоним' };

export function demoPhonePresets(): Record<string, PhonePreset> {
  return Object.fromEntries(DEMO_PHONES.map((p) => [p.digits, p.preset]));
}
