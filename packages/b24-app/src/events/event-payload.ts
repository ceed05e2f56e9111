import { z } from 'zod';

/**
 * An event as Bitrix24 posts it (BITRIX24.md §3), parsed leniently: the portal adds and drops
 * fields without notice, so only what the app depends on is required, and the rest passes through.
 */
export const eventPayloadSchema = z
  .object({
    event: z
      .string()
      .min(1)
      .max(64)
      .transform((name) => name.toUpperCase()),
    data: z.unknown().optional(),
    auth: z
      .object({
        member_id: z.string().min(1).max(64),
        application_token: z.string().min(1).max(256),
        domain: z.string().max(253).optional(),
      })
      .loose(),
  })
  .loose();
export type EventPayload = z.infer<typeof eventPayloadSchema>;

/** `data.FIELDS.ID` of a CRM event. */
export const crmEventDataSchema = z
  .object({ FIELDS: z.object({ ID: z.coerce.string().regex(/^\d{1,18}$/) }).loose() })
  .loose();

/** ONEXTERNALCALLBACKSTART's data (`api-reference/telephony/events/on-external-call-back-start.md`). */
export const callbackStartDataSchema = z
  .object({
    PHONE_NUMBER: z.string().min(1).max(64),
    CRM_ENTITY_TYPE: z.string().optional(),
    CRM_ENTITY_ID: z.coerce
      .string()
      .regex(/^\d{1,18}$/)
      .optional(),
    LINE_NUMBER: z.string().max(64).optional(),
    TEXT: z.string().optional(),
  })
  .loose();

/** ONAPPUNINSTALL's data: `CLEAN` is 1 when the administrator asked to delete the app's data. */
export const uninstallDataSchema = z.object({ CLEAN: z.coerce.string().optional() }).loose();

/**
 * ONAPPINSTALL's `auth` (BITRIX24.md §2.1b, `on-app-install.md`): the installing administrator's
 * tokens. Only what the install needs is required; `expires`, `user_id`, `status`… pass through.
 */
export const installAuthSchema = z
  .object({
    member_id: z.string().min(1).max(64),
    application_token: z.string().min(1).max(256),
    refresh_token: z.string().min(1).max(512),
    server_endpoint: z.string().min(1).max(2048),
    domain: z.string().min(1).max(253),
  })
  .loose();
