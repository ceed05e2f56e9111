import { SmsProviderSettings } from '@prozvon/adapters-sms';
import { tenantConfigSchema } from '@prozvon/sdk';
import { z } from 'zod';
import { portalProvidersSchema } from './portal-providers.js';

const { shape } = portalProvidersSchema;

/**
 * `PUT /api/portal/settings`: each part optional. `tenant` replaces the tenant config (validated
 * whole by the SDK's schema). `providers` replaces the sections it names; `null` removes an
 * optional one (`voximplant`, `sms`, `telegram`). `secrets` are write-only: a name absent keeps
 * the secret, `null` deletes it, a value sets it. The intake and voice secrets are not here: the
 * first is rotated (rotate-intake-secret.ts), the second is the app's own.
 */
export const settingsPutSchema = z.strictObject({
  tenant: tenantConfigSchema.optional(),
  providers: z
    .strictObject({
      crm: shape.crm.optional(),
      voximplant: shape.voximplant.unwrap().nullable().optional(),
      voice: shape.voice.optional(),
      sms: shape.sms.unwrap().nullable().optional(),
      telegram: shape.telegram.unwrap().nullable().optional(),
      site: shape.site.optional(),
    })
    .optional(),
  secrets: z
    .strictObject({
      /** The SMS gateways with their keys, in failover order: stored as one JSON secret. */
      smsProviders: z.array(SmsProviderSettings).min(1).max(3).nullable().optional(),
      telegramBotToken: z
        .string()
        .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'expected a bot token as @BotFather gives it')
        .nullable()
        .optional(),
      voximplantPrivateKey: z
        .string()
        .max(10_000)
        .includes('PRIVATE KEY', { error: 'expected a PEM private key' })
        .nullable()
        .optional(),
    })
    .optional(),
});
export type SettingsPut = z.output<typeof settingsPutSchema>;

export interface SettingsIssue {
  /** The field at fault, dotted: `tenant.hours.mon`, `secrets.smsProviders.0.config.apiId`. */
  readonly path: string;
  readonly message: string;
}

/** Zod's issues as the page shows them: one per field, named by its path. */
export function settingsIssues(error: z.ZodError): SettingsIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
