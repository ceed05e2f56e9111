import { bitrix24CrmOptionsSchema } from '@prozvon/adapters-bitrix24';
import { z } from 'zod';

/**
 * What a portal's settings say beyond the SDK's tenant config: its CRM mapping, its own provider
 * accounts (each optional: the operator's default from the environment serves a portal without
 * one), the voice message and the shop's site. Secrets are never here: they live in
 * `Portal.secrets` under the names of SECRET_NAMES, encrypted.
 */
export const portalProvidersSchema = z.object({
  crm: z
    .object({
      partner: bitrix24CrmOptionsSchema.shape.partner,
      lead: z
        .object({
          titlePrefix: z.string().min(1).max(100).default('Заявка'),
          sourceId: z.string().min(1).max(50).default('WEB'),
          assignedById: z.number().int().positive().optional(),
        })
        .prefault({}),
      calls: z
        .object({
          userId: z.number().int().positive().optional(),
          lineNumber: z.string().min(1).max(50).optional(),
          noAnswerStatusId: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,21}$/)
            .default('IN_PROCESS'),
        })
        .prefault({}),
      /** SOURCE_IDs of CRM leads to call back; null: every source but Prozvon's own leads. */
      callSources: z.array(z.string().min(1).max(50)).max(100).nullable().default(null),
    })
    .prefault({}),
  voximplant: z
    .object({
      accountId: z.number().int().positive(),
      keyId: z.string().min(1).max(100),
      ruleId: z.number().int().positive(),
      apiBase: z.url().optional(),
    })
    .optional(),
  voice: z
    .object({
      /** A recording's URL, or a text read aloud. */
      message: z
        .string()
        .min(1)
        .max(2000)
        .default('Здравствуйте! Спасибо за заказ. Соединяем вас с менеджером.'),
      promotion: z.string().min(1).max(2000).optional(),
      voice: z.string().min(1).max(100).optional(),
    })
    .prefault({}),
  /** Which gateways, in failover order; their keys are in the `sms.providers` secret. */
  sms: z.object({ kinds: z.array(z.enum(['smsru', 'smsc', 'twilio'])).max(3) }).optional(),
  telegram: z
    .object({ chatId: z.union([z.string().min(1), z.number().int()]), apiRoot: z.url().optional() })
    .optional(),
  site: z
    .object({
      /** Origins whose browsers may post to the intake URL (CORS). */
      origins: z.array(z.url()).max(50).default([]),
    })
    .prefault({}),
});
export type PortalProviders = z.output<typeof portalProvidersSchema>;
export type PortalProvidersInput = z.input<typeof portalProvidersSchema>;

/** The names of a portal's secrets. */
export const SECRET_NAMES = {
  intake: 'intake.secret',
  /** The secret before the last rotation, and until when it is still accepted (epoch ms, as text). */
  intakePrevious: 'intake.previousSecret',
  intakePreviousUntil: 'intake.previousUntil',
  /** Signs the voice provider's results for this portal. */
  voice: 'voice.secret',
  voximplantKey: 'voximplant.privateKey',
  /** The SMS gateways' settings with their keys, as one JSON list (SmsProviderSettings[]). */
  smsProviders: 'sms.providers',
  telegramToken: 'telegram.botToken',
} as const;

/** The providers of stored settings; settings that no longer parse fall back to the defaults. */
export function readProviders(stored: unknown): PortalProviders {
  const parsed = portalProvidersSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : portalProvidersSchema.parse({});
}
