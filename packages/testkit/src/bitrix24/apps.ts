import type { Bitrix24Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { Outbox } from './events.js';
import type { Install, Portal } from './portal.js';

export interface AppSeed {
  clientId?: string;
  clientSecret?: string;
  name?: string;
  /** Scopes the app asks for (default: crm, placement, telephony, user, event… everything Prozvon needs). */
  scope?: readonly string[];
  /** The app's page: install page POST and frame opens (§2.1a). */
  handlerUrl?: string;
  /**
   * The local app's "initial installation path": where the install page POST goes (the app's
   * page, `handlerUrl`, when absent).
   */
  installUrl?: string;
  /** Where ONAPPINSTALL / ONAPPUNINSTALL go (§2.1b); for a UI-less local app the same as handlerUrl. */
  eventHandlerUrl?: string;
  /** An app with UI is "not installed" until installFinish (§2.2); default true. */
  ui?: boolean;
}

export interface AppRecord {
  readonly id: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly scope: readonly string[];
  readonly handlerUrl: string | undefined;
  readonly installUrl: string | undefined;
  readonly eventHandlerUrl: string | undefined;
  readonly ui: boolean;
  /** Portals (member ids) where the paid period is over: token grants answer PAYMENT_REQUIRED. */
  readonly paymentExpired: Set<string>;
}

export const DEFAULT_SCOPE = ['crm', 'placement', 'telephony', 'user', 'event', 'app'];

/** The OAuth shape every token answer, install event and event `auth` block is built from. */
export interface AuthPayload {
  access_token?: string;
  expires?: string;
  expires_in?: string;
  scope?: string;
  domain: string;
  server_endpoint: string;
  status?: string;
  client_endpoint: string;
  member_id: string;
  user_id?: string;
  refresh_token?: string;
  application_token: string;
}

export interface AppsDeps {
  clock: Bitrix24Clock;
  credentials: Credentials;
  outbox: Outbox;
  /** `https://127.0.0.1:<port>/rest/`: both REST and the OAuth server live in the simulator. */
  serverEndpoint: () => string;
}

/** Apps registered with the simulator, and their installs on portals. */
export class Apps {
  readonly #apps = new Map<string, AppRecord>();
  readonly #deps: AppsDeps;

  constructor(deps: AppsDeps) {
    this.#deps = deps;
  }

  register(seed: AppSeed = {}): AppRecord {
    const id = this.#apps.size + 1;
    const app: AppRecord = {
      id,
      clientId: seed.clientId ?? `local.${this.#deps.credentials.token().slice(-14)}`,
      clientSecret: seed.clientSecret ?? this.#deps.credentials.token(),
      name: seed.name ?? `App ${id}`,
      scope: seed.scope ?? DEFAULT_SCOPE,
      handlerUrl: seed.handlerUrl,
      installUrl: seed.installUrl,
      eventHandlerUrl: seed.eventHandlerUrl,
      ui: seed.ui ?? true,
      paymentExpired: new Set(),
    };
    if (this.#apps.has(app.clientId)) throw new Error(`app ${app.clientId} is already registered`);
    this.#apps.set(app.clientId, app);
    return app;
  }

  get(clientId: string): AppRecord | undefined {
    return this.#apps.get(clientId);
  }

  all(): AppRecord[] {
    return [...this.#apps.values()];
  }

  /** The `auth` block the portal sends: the install's tokens for a user, or none (anonymous). */
  authPayload(
    portal: Portal,
    install: Install,
    userId: number | undefined,
    withRefresh: boolean,
  ): AuthPayload {
    const app = this.#apps.get(install.clientId);
    const scope = (app?.scope ?? DEFAULT_SCOPE).join(',');
    const base: AuthPayload = {
      scope,
      domain: portal.domain,
      server_endpoint: this.#deps.serverEndpoint(),
      status: 'L',
      client_endpoint: portal.clientEndpoint,
      member_id: portal.memberId,
      application_token: install.applicationToken,
    };
    if (userId === undefined) {
      // Without a user the block is what ONAPPUNINSTALL's docs show: no tokens, no scope (§2.1c).
      const { scope: _s, status: _st, ...anonymous } = base;
      return anonymous as AuthPayload;
    }
    const now = this.#deps.clock.now();
    const { credentials } = this.#deps;
    const scopes = app?.scope ?? DEFAULT_SCOPE;
    const tokens = withRefresh
      ? credentials.issue(portal, install.clientId, userId, scopes, now)
      : {
          ...credentials.issueAccess(portal, install.clientId, userId, scopes, now),
          refreshToken: undefined,
        };
    return {
      access_token: tokens.accessToken,
      expires: String(Math.floor(tokens.expiresAt / 1000)),
      expires_in: '3600',
      ...base,
      user_id: String(userId),
      ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
    };
  }
}
