import type { Row } from './crm/entity-store.js';
import type { Portal } from './portal.js';
import type {
  Activity,
  EventDelivery,
  ExternalCall,
  LogMessage,
  TimelineComment,
  Todo,
  TokenRequest,
} from './records.js';

/** What tests read: every portal, and shortcuts to the first (or a named) portal's records. */
export class Bitrix24State {
  readonly portals = new Map<string, Portal>();
  /** Every request to the OAuth server, in order, whatever its portal. */
  readonly tokenRequests: TokenRequest[] = [];

  portal(key?: string): Portal {
    const portal = key === undefined ? this.portals.values().next().value : this.portals.get(key);
    if (portal === undefined) throw new Error(`no portal ${key ?? ''} in the simulator`);
    return portal;
  }

  /** Leads in their read form (string-typed fields, multifields with IDs), oldest first. */
  leads(key?: string): Row[] {
    return this.portal(key).leads.all();
  }

  companies(key?: string): Row[] {
    return this.portal(key).companies.all();
  }

  contacts(key?: string): Row[] {
    return this.portal(key).contacts.all();
  }

  /** Items of a smart process (camelCase, numbers as numbers); empty when the type does not exist. */
  items(entityTypeId: number, key?: string): Record<string, unknown>[] {
    return this.portal(key).smartProcesses.get(entityTypeId)?.all() ?? [];
  }

  comments(key?: string): readonly TimelineComment[] {
    return this.portal(key).comments;
  }

  calls(key?: string): ExternalCall[] {
    return [...this.portal(key).calls.values()];
  }

  activities(key?: string): readonly Activity[] {
    return this.portal(key).activities;
  }

  logMessages(key?: string): readonly LogMessage[] {
    return this.portal(key).logMessages;
  }

  todos(key?: string): readonly Todo[] {
    return this.portal(key).todos;
  }

  /** Outbound POSTs (events, install, frames) with their outcome once settled. */
  deliveries(key?: string): readonly EventDelivery[] {
    return this.portal(key).deliveries;
  }
}
