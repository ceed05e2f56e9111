/**
 * The `auth` block a portal sends an app (the install POST, ONAPPINSTALL and other events), with
 * Bitrix24's own snake_case names (BITRIX24.md §2).
 */
export interface PortalInstallAuth {
  readonly access_token?: string;
  readonly refresh_token?: string;
  readonly expires?: string | number;
  readonly member_id: string;
  readonly domain: string;
  readonly client_endpoint: string;
  readonly server_endpoint: string;
  readonly application_token?: string;
}

/**
 * The adapter's `oauth` auth option from what the portal gave the app on install: the one place
 * that knows how the portal's names map onto the adapter's.
 */
export function oauthAuthFromInstall(
  auth: PortalInstallAuth,
  app: { readonly clientId: string; readonly clientSecret: string },
) {
  return {
    type: 'oauth' as const,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    tokens: {
      accessToken: auth.access_token ?? '',
      refreshToken: auth.refresh_token ?? '',
      expires: Number(auth.expires),
      memberId: auth.member_id,
      domain: auth.domain,
      clientEndpoint: auth.client_endpoint,
      serverEndpoint: auth.server_endpoint,
      applicationToken: auth.application_token ?? '',
    },
  };
}
