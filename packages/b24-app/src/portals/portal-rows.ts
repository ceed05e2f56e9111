import { z } from 'zod';
import {
  PORTAL_STATUSES,
  type Portal,
  type PortalInstall,
  type PortalSettings,
  type PortalTokens,
} from './portal-store.js';
import type { SecretBox } from './secrets.js';

/** A `portals` row as node:sqlite returns it. */
export interface PortalRow {
  readonly member_id: string;
  readonly portal_key: string;
  readonly domain: string;
  readonly server_endpoint: string;
  readonly client_endpoint: string;
  readonly status: string;
  readonly application_token: string | null;
  readonly access_token: string | null;
  readonly refresh_token: string | null;
  readonly token_expires_at: number | null;
  readonly token_version: number;
  readonly settings: string;
  readonly secrets: string;
  readonly settings_changed_by: string | null;
  readonly settings_changed_at: number | null;
  readonly settings_version: number;
  readonly installed_at: number;
  readonly updated_at: number;
}

// Read back leniently: the settings API validates what it writes; this only checks the shape.
const settingsSchema = z.object({
  tenant: z.record(z.string(), z.unknown()),
  providers: z.record(z.string(), z.unknown()),
});
const secretsSchema = z.record(z.string(), z.string());
const statusSchema = z.enum(PORTAL_STATUSES);

/**
 * Rows to portals and back, encrypting on the way in. Each ciphertext is bound to its portal and
 * field (`<memberId>/accessToken`, `<memberId>/secret:<name>`), so one moved elsewhere fails.
 */
export class PortalRows {
  readonly #box: SecretBox;

  constructor(box: SecretBox) {
    this.#box = box;
  }

  installParams(install: PortalInstall) {
    return {
      member_id: install.memberId,
      domain: install.domain,
      server_endpoint: install.serverEndpoint,
      client_endpoint: install.clientEndpoint,
      status: statusSchema.parse(install.status ?? 'installing'),
      application_token: this.#seal(install.memberId, 'applicationToken', install.applicationToken),
      ...this.tokenParams(install.memberId, install.tokens),
      at: install.at,
    };
  }

  tokenParams(memberId: string, tokens: PortalTokens | null) {
    return {
      access_token: this.#seal(memberId, 'accessToken', tokens?.accessToken ?? null),
      refresh_token: this.#seal(memberId, 'refreshToken', tokens?.refreshToken ?? null),
      token_expires_at: tokens?.expiresAt ?? null,
    };
  }

  secretsText(memberId: string, secrets: Readonly<Record<string, string>>): string {
    const sealed: Record<string, string> = {};
    for (const [name, value] of Object.entries(secrets)) {
      sealed[name] = this.#box.encrypt(value, `${memberId}/secret:${name}`);
    }
    return JSON.stringify(sealed);
  }

  toPortal(row: PortalRow): Portal {
    const memberId = row.member_id;
    const open = (field: string, value: string | null) =>
      value === null ? null : this.#box.decrypt(value, `${memberId}/${field}`);
    const accessToken = open('accessToken', row.access_token);
    const refreshToken = open('refreshToken', row.refresh_token);
    const tokens: PortalTokens | null =
      accessToken === null || refreshToken === null || row.token_expires_at === null
        ? null
        : { accessToken, refreshToken, expiresAt: Number(row.token_expires_at) };
    const secrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(secretsSchema.parse(JSON.parse(row.secrets)))) {
      secrets[name] = this.#box.decrypt(value, `${memberId}/secret:${name}`);
    }
    return {
      memberId,
      portalKey: row.portal_key,
      domain: row.domain,
      serverEndpoint: row.server_endpoint,
      clientEndpoint: row.client_endpoint,
      status: statusSchema.parse(row.status),
      applicationToken: open('applicationToken', row.application_token),
      tokens,
      tokenVersion: Number(row.token_version),
      settings: settingsSchema.parse(JSON.parse(row.settings)) as PortalSettings,
      secrets,
      settingsVersion: Number(row.settings_version),
      settingsChangedBy: row.settings_changed_by,
      settingsChangedAt: row.settings_changed_at === null ? null : Number(row.settings_changed_at),
      installedAt: Number(row.installed_at),
      updatedAt: Number(row.updated_at),
    };
  }

  /**
   * The row's ciphertexts written again under the current key, or null when all already are.
   * The plaintexts never leave this method.
   */
  reencrypted(row: PortalRow): {
    application_token: string | null;
    access_token: string | null;
    refresh_token: string | null;
    secrets: string;
  } | null {
    const memberId = row.member_id;
    const again = (field: string, value: string | null) =>
      value === null ? null : this.#box.reencrypt(value, `${memberId}/${field}`);
    const sealed = secretsSchema.parse(JSON.parse(row.secrets));
    const secrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(sealed)) {
      secrets[name] = this.#box.reencrypt(value, `${memberId}/secret:${name}`);
    }
    const next = {
      application_token: again('applicationToken', row.application_token),
      access_token: again('accessToken', row.access_token),
      refresh_token: again('refreshToken', row.refresh_token),
      secrets: JSON.stringify(secrets),
    };
    const changed =
      next.application_token !== row.application_token ||
      next.access_token !== row.access_token ||
      next.refresh_token !== row.refresh_token ||
      Object.entries(secrets).some(([name, value]) => sealed[name] !== value);
    return changed ? next : null;
  }

  #seal(memberId: string, field: string, value: string | null): string | null {
    return value === null ? null : this.#box.encrypt(value, `${memberId}/${field}`);
  }
}
