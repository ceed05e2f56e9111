import { SettingsError } from '@prozvon/sdk';
import { z } from 'zod';
import { PACKAGE, type SmsProvider } from './provider.js';
import { createSmscProvider, SmscConfig } from './smsc/client.js';
import { createSmsRuProvider, SmsRuConfig } from './smsru/client.js';
import { createTwilioProvider, TwilioConfig } from './twilio/client.js';

/**
 * One provider's settings as stored (the app's settings page, an SDK user's config file): the
 * gateway's own settings plus which gateway it is.
 */
export const SmsProviderSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('smsru'), config: SmsRuConfig }),
  z.object({ kind: z.literal('smsc'), config: SmscConfig }),
  z.object({ kind: z.literal('twilio'), config: TwilioConfig }),
]);
export type SmsProviderSettings = z.input<typeof SmsProviderSettings>;

/** The client for stored settings; each client validates its own settings again, naming bad fields. */
export function createSmsProvider(settings: SmsProviderSettings): SmsProvider {
  switch (settings.kind) {
    case 'smsru':
      return createSmsRuProvider(settings.config);
    case 'smsc':
      return createSmscProvider(settings.config);
    case 'twilio':
      return createTwilioProvider(settings.config);
  }
  // Stored settings are typed only as far as the store keeps them.
  const kinds = SmsProviderSettings.options.map((option) => option.shape.kind.value).join(', ');
  throw new SettingsError(PACKAGE, [{ field: 'kind', message: `expected one of ${kinds}` }]);
}
