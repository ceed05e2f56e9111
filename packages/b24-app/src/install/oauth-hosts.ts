/** Whether a portal's `server_endpoint` names one of the OAuth hosts the operator allows (https only). */
export function isAllowedOAuthServer(serverEndpoint: string, hosts: readonly string[]): boolean {
  try {
    const url = new URL(serverEndpoint);
    return url.protocol === 'https:' && hosts.includes(url.host.toLowerCase());
  } catch {
    return false;
  }
}
