import {
  SMSC_TEST_APIKEY,
  SMSRU_TEST_API_ID,
  TWILIO_TEST_ACCOUNT_SID,
  TWILIO_TEST_AUTH_TOKEN,
  TWILIO_TEST_FROM,
} from '@prozvon/testkit';
import type { SmsProvider } from '../../src/provider.js';
import { createSmsProvider, type SmsProviderSettings } from '../../src/settings.js';
import type { SmscConfig } from '../../src/smsc/client.js';
import type { SmsRuConfig } from '../../src/smsru/client.js';
import type { TwilioConfig } from '../../src/twilio/client.js';

/** The gateways, in the order of the failover chain the tests build. */
export const GATEWAYS = ['smsru', 'smsc', 'twilio'] as const;
export type Gateway = (typeof GATEWAYS)[number];

/** What a test changes in a gateway's settings (a wrong key, another address, a short timeout). */
export interface GatewayOverrides {
  readonly smsru?: Partial<SmsRuConfig>;
  readonly smsc?: Partial<SmscConfig>;
  readonly twilio?: Partial<TwilioConfig>;
}

/**
 * Each gateway's stored settings for the SMS simulator at `baseUrl`, with the simulator's test
 * credentials, then `overrides` on top; in GATEWAYS' order.
 */
export function simSettings(baseUrl: string, overrides: GatewayOverrides = {}): SmsProviderSettings[] {
  return [
    { kind: 'smsru', config: { apiId: SMSRU_TEST_API_ID, baseUrl, ...overrides.smsru } },
    { kind: 'smsc', config: { credentials: { apiKey: SMSC_TEST_APIKEY }, baseUrl, ...overrides.smsc } },
    {
      kind: 'twilio',
      config: {
        accountSid: TWILIO_TEST_ACCOUNT_SID,
        authToken: TWILIO_TEST_AUTH_TOKEN,
        from: TWILIO_TEST_FROM,
        baseUrl,
        ...overrides.twilio,
      },
    },
  ];
}

/** Each gateway's client for the simulator at `baseUrl` (simSettings'), by gateway. */
export function simClients(baseUrl: string, overrides: GatewayOverrides = {}): Record<Gateway, SmsProvider> {
  const [smsru, smsc, twilio] = simSettings(baseUrl, overrides).map(createSmsProvider) as [
    SmsProvider,
    SmsProvider,
    SmsProvider,
  ];
  return { smsru, smsc, twilio };
}
