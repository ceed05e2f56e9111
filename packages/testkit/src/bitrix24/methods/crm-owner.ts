import type { Portal } from '../portal.js';

/** CRM entity type ids (BITRIX24.md §4.4): 1 lead, 3 contact, 4 company. */
const BY_TYPE_ID: Record<number, (portal: Portal) => { has(id: number): boolean }> = {
  1: (portal) => portal.leads,
  3: (portal) => portal.contacts,
  4: (portal) => portal.companies,
};

/** Whether the CRM record (entityTypeId, id) exists; smart processes are looked up by type id. */
export function ownerExists(portal: Portal, entityTypeId: number, id: number): boolean {
  const store = BY_TYPE_ID[entityTypeId]?.(portal);
  if (store) return store.has(id);
  return portal.smartProcesses.get(entityTypeId)?.get(id) !== undefined;
}
