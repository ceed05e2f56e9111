import type { B24OAuth } from '@bitrix24/b24jssdk';
import { z } from 'zod';

const httpsUrl = z.url({
  protocol: /^https$/,
  error: 'Must be an https:// URL (b24jssdk speaks HTTPS only)',
});

/** Tokens of the app's install on one portal (ONAPPINSTALL's `auth`, kept by the app). */
const oauthTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Unix seconds when the access token expires. */
  expires: z.number().int().nonnegative(),
  expiresIn: z.number().int().positive().default(3600),
  memberId: z.string().min(1),
  /** The portal's host (e.g. `shop.bitrix24.ru`): links to lead cards are built from it. */
  domain: z.string().min(1),
  /** `https://<portal>/rest/`: where REST calls go. */
  clientEndpoint: httpsUrl,
  /** `https://oauth.bitrix.info/rest/`: the SDK refreshes tokens at its `/oauth/token/`. */
  serverEndpoint: z.url(),
  applicationToken: z.string().default(''),
  userId: z.number().int().positive().default(1),
  scope: z.string().default('crm,telephony'),
  status: z.enum(['F', 'D', 'T', 'P', 'L', 'S']).default('L'),
});

const webhookAuthSchema = z.object({
  type: z.literal('webhook'),
  /** The inbound webhook URL as the portal shows it: `https://<portal>/rest/<user>/<secret>/`. */
  url: httpsUrl,
});

const oauthAuthSchema = z.object({
  type: z.literal('oauth'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  tokens: oauthTokensSchema,
  /**
   * Replaces the SDK's own refresh: the app calls the OAuth server itself, under a lock, so that
   * only one instance refreshes a portal at a time (refresh tokens are one-time, BITRIX24.md §8).
   * Throw a PortError (AuthError for a refused token) to say what went wrong.
   */
  refresh: z
    .custom<() => Promise<RefreshedTokens>>((v) => typeof v === 'function', { error: 'Must be a function' })
    .optional(),
  /** Persists rotated tokens: a refresh token is one-time, the old pair is dead after this. */
  onTokensRefreshed: z
    .custom<(tokens: RefreshedTokens) => void | Promise<void>>((v) => typeof v === 'function', {
      error: 'Must be a function',
    })
    .optional(),
});

const clientAuthSchema = z.object({
  type: z.literal('client'),
  /**
   * The portal's b24jssdk OAuth client, built and refreshed by the caller and shared with its own
   * REST calls on that portal. Bitrix24 counts requests per portal (2 a second, §7) while the SDK's
   * limiter lives in the client object: two clients on one portal would each spend the whole
   * budget. Asked for before every batch, so a client the caller replaced (a reinstall, an idle
   * client let go) is never used again here. Build it with `restrictionParams()`: the adapter
   * refuses a client that re-sends requests of unknown fate. The `plan` option is the client's.
   */
  client: z.custom<() => B24OAuth | Promise<B24OAuth>>((v) => typeof v === 'function', {
    error: 'Must be a function',
  }),
  /** The portal's address (`https://shop.bitrix24.ru`, or its REST endpoint): links to lead cards. */
  origin: z.url(),
});

/** Where partners live and which field holds their referral code (BITRIX24.md §4.4). */
const partnerSchema = z.discriminatedUnion('entity', [
  z.object({
    entity: z.literal('company'),
    /** A UF field (`UF_CRM_PROZVON_REF`) or a standard one (`ORIGIN_ID`, `TITLE`…). */
    codeField: z.string().min(1).default('UF_CRM_PROZVON_REF'),
    /** A lead field to link the partner in (a `crm`-type UF); COMPANY_ID when absent. */
    leadField: z.string().min(1).optional(),
  }),
  z.object({
    entity: z.literal('contact'),
    codeField: z.string().min(1).default('UF_CRM_PROZVON_REF'),
    /** A lead field to link the partner in; CONTACT_ID when absent. */
    leadField: z.string().min(1).optional(),
  }),
  z.object({
    entity: z.literal('item'),
    /** The smart process's entityTypeId (≥ 128 for custom ones). */
    entityTypeId: z.number().int().positive(),
    /** camelCase as `crm.item.list` speaks: `ufCrm5ProzvonRef`, `title`. */
    codeField: z.string().min(1),
    /** The lead's `crm`-type UF that links to the item; without it the partner is only named in COMMENTS. */
    leadField: z.string().min(1).optional(),
  }),
]);

export const bitrix24CrmOptionsSchema = z.object({
  auth: z.discriminatedUnion('type', [webhookAuthSchema, oauthAuthSchema, clientAuthSchema]),
  partner: partnerSchema.default({ entity: 'company', codeField: 'UF_CRM_PROZVON_REF' }),
  lead: z
    .object({
      /** Shown before the customer's name in the lead's TITLE. */
      titlePrefix: z.string().default('Заявка'),
      sourceId: z.string().min(1).default('WEB'),
      /** ORIGINATOR_ID of every lead we create; with ORIGIN_ID = the request key it identifies it. */
      originatorId: z.string().min(1).default('prozvon'),
      currency: z.string().length(3).default('RUB'),
      /** The seller responsible for new leads; the portal's default when absent. */
      assignedById: z.number().int().positive().optional(),
    })
    .prefault({}),
  calls: z
    .object({
      /** The employee a call entry belongs to (an active user); the leads' responsible, else user 1. */
      userId: z.number().int().positive().optional(),
      /** The external line the calls are shown as coming from, if one was added. */
      lineNumber: z.string().min(1).optional(),
      /** Lead stage for "no answer"; Bitrix24 has none built in (BITRIX24.md §4.3). */
      noAnswerStatusId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,21}$/)
        .default('IN_PROCESS'),
    })
    .prefault({}),
  /** The portal's plan: enterprise portals drain 5 requests a second instead of 2 (§7). */
  plan: z.enum(['standard', 'enterprise']).default('standard'),
  /**
   * Requests the adapter keeps out at once; commands queued meanwhile share the next batch. One
   * is the default: measured with 100 ms to the portal, 20 leads arriving 50 ms apart cost 0.6
   * requests a lead with 1 and 1.25 with 2 — and 2 met a QUERY_LIMIT_EXCEEDED. A batch carries 50
   * commands, so one stream is far more than the portal's 2 requests a second let through anyway.
   */
  maxInFlight: z.number().int().min(1).max(10).default(1),
});

export type Bitrix24CrmOptions = z.input<typeof bitrix24CrmOptionsSchema>;
export type ResolvedOptions = z.output<typeof bitrix24CrmOptionsSchema>;
export type PartnerOptions = ResolvedOptions['partner'];

/** What `onTokensRefreshed` receives: everything needed to rebuild the client later. */
export interface RefreshedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expires: number;
  readonly memberId: string;
  readonly domain: string;
  readonly clientEndpoint: string;
  readonly serverEndpoint: string;
}
