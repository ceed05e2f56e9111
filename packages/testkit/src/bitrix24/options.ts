import { z } from 'zod';
import type { Bitrix24Clock } from './clock.js';

const userSeed = z.object({
  id: z.number().int().positive(),
  name: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  admin: z.boolean().optional(),
  active: z.boolean().optional(),
  phoneInner: z.string().optional(),
});

export const webhookSeedSchema = z.object({
  userId: z.number().int().positive().default(1),
  /** The webhook code; random when absent. */
  secret: z
    .string()
    .regex(/^[A-Za-z0-9]+$/, 'a webhook secret is letters and digits')
    .optional(),
  /** Scopes the webhook was created with; all when absent. */
  scopes: z.array(z.string()).optional(),
});

export const portalSeedSchema = z.object({
  /** How tests name the portal (`sim.portal('shop')`); also the state page heading. */
  key: z.string().min(1).optional(),
  memberId: z.string().min(1).optional(),
  /** The domain put in events and frames; the simulator's host:port by default. */
  domain: z.string().min(1).optional(),
  /** `enterprise` gets the 250 / 5 per s bucket, everything else 50 / 2 per s (§7). */
  plan: z.enum(['standard', 'enterprise']).default('standard'),
  /** The portal's time zone as minutes east of UTC (Moscow by default). */
  offsetMinutes: z.number().int().min(-720).max(840).default(180),
  users: z.array(userSeed).default([{ id: 1 }]),
  /** Inbound webhooks; one for user 1 by default. */
  webhooks: z.array(webhookSeedSchema).default([{ userId: 1 }]),
});

export const appSeedSchema = z.object({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  name: z.string().optional(),
  scope: z.array(z.string()).optional(),
  handlerUrl: z.url().optional(),
  installUrl: z.url().optional(),
  eventHandlerUrl: z.url().optional(),
  ui: z.boolean().optional(),
});

const rateLimit = z.object({ burst: z.number().positive(), drainPerSecond: z.number().positive() });
const operatingLimit = z.object({
  windowMs: z.number().int().positive().default(600_000),
  limitMs: z.number().positive().default(480_000),
  costMs: z.custom<(method: string) => number>((v) => typeof v === 'function').optional(),
});

export const simOptionsSchema = z.object({
  portals: z.array(portalSeedSchema).min(1).optional(),
  apps: z.array(appSeedSchema).default([]),
  /** false switches the leaky bucket off (benchmarks); absent: each portal's plan decides. */
  rateLimit: z.union([z.literal(false), rateLimit]).optional(),
  /** The per-method operating-time limit (§7); the cloud's 480 s in 10 min by default. */
  operatingLimit: z.union([z.literal(false), operatingLimit]).optional(),
  clock: z
    .custom<Bitrix24Clock>((v) => typeof (v as Bitrix24Clock | undefined)?.now === 'function')
    .optional(),
  /**
   * Origins (`http://127.0.0.1:4100`) the portal can download from: attachRecord's RECORD_URL is
   * fetched only from these (everything on loopback is "private"); any other URL fails with
   * "Server returns HTTP error code 0", as a private or unreachable address does. More can be
   * added later with `sim.allowRecordOrigin()`.
   */
  publicRecordOrigins: z.array(z.string()).default([]),
  /** How long the portal waits for a RECORD_URL download before giving up. */
  recordDownloadTimeoutMs: z.number().int().positive().default(15_000),
  /** Answer REST calls over plain HTTP with 400 INVALID_REQUEST "Https required." as the cloud does. */
  httpsOnly: z.boolean().default(false),
  port: z.number().int().min(0).max(65535).default(0),
  httpPort: z.number().int().min(0).max(65535).default(0),
});

export type Bitrix24SimOptions = z.input<typeof simOptionsSchema>;
export type PortalSeed = z.input<typeof portalSeedSchema>;
export type WebhookSeed = z.input<typeof webhookSeedSchema>;
