import { type Env, envReader } from '@prozvon/sdk';
import { parseSmsHosts } from '../settings/sms-hosts.js';

/** Where Bitrix24's OAuth servers live: tokens are only ever exchanged at one of these hosts. */
export const DEFAULT_OAUTH_HOSTS = ['oauth.bitrix.info', 'oauth.bitrix24.tech'] as const;

/** The app's own settings, from the environment (every portal's settings live in the store). */
export interface AppConfig {
  /** The local or Market application's `client_id` and `client_secret` (Bitrix24 gives both). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://prozvon.example.com`: what the portal, the shop's site and Voximplant reach. */
  readonly publicUrl: string;
  /** SQLite file of the leads and portals, unless `databaseUrl` is set. */
  readonly databasePath: string;
  /** `PROZVON_DATABASE_URL`: leads and portals in PostgreSQL (several instances); null: SQLite. */
  readonly databaseUrl?: string | null;
  /** `PROZVON_DATABASE_SCHEMA`: the PostgreSQL schema of the tables; null: the search_path. */
  readonly databaseSchema?: string | null;
  readonly port: number;
  readonly host: string;
  /** Hosts a portal's `server_endpoint` may name; a token is never sent anywhere else. */
  readonly oauthHosts: readonly string[];
  /** Believe `X-Forwarded-For` / `-Proto` (behind a TLS-terminating proxy). */
  readonly trustProxy: boolean;
  /**
   * The bearer token Prometheus sends to `GET /metrics`; without one the route is off (404). A
   * loopback-only rule would not do: behind a proxy the client's address is a header.
   */
  readonly metricsToken?: string | null;
  /**
   * Days a finished lead keeps its audit trail and outbox rows (`PROZVON_RETENTION_DAYS`, default
   * 180; `0` keeps them forever); the lead rows and the dashboard's figures stay.
   */
  readonly retentionDays?: number | null;
  /**
   * https hosts a portal's SMS gateway may name besides each gateway's own (`PROZVON_SMS_HOSTS`,
   * public DNS names only); none by default.
   */
  readonly smsHosts?: readonly string[];
  /** Days the REST requests and answers of each portal are kept (Bitrix24's Market asks ≥ 3); 3 if absent. */
  readonly restLogDays?: number;
}

/** A metrics token shorter than this is refused at start: it is the only thing guarding the route. */
export const MIN_METRICS_TOKEN_LENGTH = 24;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Reads the app's settings from the environment, naming every variable that is missing or wrong
 * in one error (values are never in a message: a variable may hold a secret). The master key is
 * read separately by `secretBoxFromEnv`.
 */
export function appConfigFromEnv(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const read = envReader('@prozvon/b24-app', env);
  const clientId = read.need('PROZVON_B24_CLIENT_ID');
  const clientSecret = read.need('PROZVON_B24_CLIENT_SECRET');
  const publicUrl = read.need('PROZVON_PUBLIC_URL').replace(/\/+$/, '');
  if (publicUrl !== '') {
    let url: URL | null = null;
    try {
      url = new URL(publicUrl);
    } catch {
      read.fail('PROZVON_PUBLIC_URL', 'not a URL');
    }
    // Bitrix24 refuses to open or post to a plain-HTTP app; loopback is for a local try-out only.
    if (
      url !== null &&
      url.protocol !== 'https:' &&
      !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))
    )
      read.fail('PROZVON_PUBLIC_URL', 'must be https:// (http:// only on loopback)');
  }
  const port = Number(read.optional('PORT') ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) read.fail('PORT', 'must be a port number');
  const restLogDays = Number(read.optional('PROZVON_REST_LOG_DAYS') ?? 3);
  if (!Number.isInteger(restLogDays) || restLogDays < 3 || restLogDays > 3_650)
    read.fail('PROZVON_REST_LOG_DAYS', 'must be a whole number of days, at least 3');
  const dataDir = read.optional('PROZVON_DATA_DIR') ?? `${cwd}/.prozvon`;
  const sms = parseSmsHosts(read.optional('PROZVON_SMS_HOSTS'));
  if ('refused' in sms)
    read.fail('PROZVON_SMS_HOSTS', 'public host names only (no IP address, localhost or single-label name)');
  const oauthHosts = (read.optional('PROZVON_B24_OAUTH_HOSTS') ?? DEFAULT_OAUTH_HOSTS.join(','))
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
  const databaseUrl = read.optional('PROZVON_DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl))
    read.fail('PROZVON_DATABASE_URL', 'must be a postgres:// URL (unset: SQLite)');
  const databaseSchema = read.optional('PROZVON_DATABASE_SCHEMA') ?? null;
  if (databaseSchema !== null && !/^[a-z_][a-z0-9_]*$/.test(databaseSchema))
    read.fail('PROZVON_DATABASE_SCHEMA', 'must be a plain lower-case name');
  const metricsToken = read.optional('PROZVON_METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
    read.fail('PROZVON_METRICS_TOKEN', `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
  }
  const retentionText = read.optional('PROZVON_RETENTION_DAYS') ?? '180';
  const retention = /^\d{1,5}$/.test(retentionText) ? Number(retentionText) : Number.NaN;
  if (Number.isNaN(retention))
    read.fail('PROZVON_RETENTION_DAYS', 'must be a whole number of days (0: keep forever)');
  return read.done({
    clientId,
    clientSecret,
    publicUrl,
    databasePath: read.optional('PROZVON_DB') ?? `${dataDir}/app.db`,
    databaseUrl,
    databaseSchema,
    port,
    host: read.optional('HOST') ?? '127.0.0.1',
    oauthHosts,
    trustProxy: read.optional('PROZVON_TRUST_PROXY') === '1',
    metricsToken,
    retentionDays: retention === 0 ? null : retention,
    smsHosts: 'hosts' in sms ? sms.hosts : [],
    restLogDays,
  });
}
