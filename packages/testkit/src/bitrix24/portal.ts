import { randomBytes } from 'node:crypto';
import { EntityStore, type Row, type WriteContext } from './crm/entity-store.js';
import { COMPANY_FIELDS, CONTACT_FIELDS, LEAD_FIELDS } from './crm/field-types.js';
import { ItemStore } from './crm/item-store.js';
import { defaultStatuses, type StatusRow } from './crm/statuses.js';
import { type UserFieldDef, userFieldName } from './crm/user-fields.js';
import type {
  Activity,
  EventDelivery,
  EventHandler,
  ExternalCall,
  ExternalLine,
  LogMessage,
  OfflineEvent,
  PlacementBinding,
  PortalUser,
  RecordUpload,
  TimelineComment,
  Todo,
} from './records.js';

export interface PortalUserSeed {
  id: number;
  name?: string;
  lastName?: string;
  email?: string;
  admin?: boolean;
  active?: boolean;
  phoneInner?: string;
}

/** What `Portal.restRequests` counts. */
export interface RestRequestCounts {
  /** Every REST request whose credential named the portal, refused ones included. */
  total: number;
  /** Of those, refused by the leaky bucket (`503 QUERY_LIMIT_EXCEEDED`). */
  queryLimitExceeded: number;
  /** `total` by lower-cased method name (`batch` for a batch). */
  readonly byMethod: Map<string, number>;
}

/** An installed app on a portal (BITRIX24.md §2). */
export interface Install {
  clientId: string;
  applicationToken: string;
  installedBy: number;
  /** installFinish() was called (events and placements are dead until then, §2.2). */
  finished: boolean;
  scope: string[];
}

/**
 * One Bitrix24 account: its users, CRM and everything the apps did on it. Many portals share one
 * simulator; requests find theirs through the credential (webhook secret, access token).
 */
export class Portal {
  readonly key: string;
  readonly memberId: string;
  /** Minutes east of UTC for the dates the portal prints (Moscow by default). */
  readonly offsetMinutes: number;
  readonly plan: 'standard' | 'enterprise';
  #domain: string | undefined;
  #endpoint: () => string;

  readonly users = new Map<number, PortalUser>();
  readonly leads: EntityStore;
  readonly companies: EntityStore;
  readonly contacts: EntityStore;
  readonly smartProcesses = new Map<number, ItemStore>();
  readonly statuses: StatusRow[] = defaultStatuses();
  readonly comments: TimelineComment[] = [];
  readonly calls = new Map<string, ExternalCall>();
  readonly externalLines: ExternalLine[] = [];
  /** attachRecord's pending uploads by their `token` query value. */
  readonly recordUploads = new Map<string, RecordUpload>();
  readonly activities: Activity[] = [];
  readonly logMessages: LogMessage[] = [];
  readonly todos: Todo[] = [];
  readonly eventHandlers: EventHandler[] = [];
  readonly placements: PlacementBinding[] = [];
  readonly appOptions = new Map<string, Record<string, unknown>>();
  readonly installs = new Map<string, Install>();
  readonly deliveries: EventDelivery[] = [];
  /**
   * REST requests that named this portal (a batch is one; OAuth token requests are in
   * `state.tokenRequests`): counters only, so a load test can count a portal's budget cheaply.
   */
  readonly restRequests: RestRequestCounts = { total: 0, queryLimitExceeded: 0, byMethod: new Map() };
  /** Offline event queues per app: key `EVENT|object id` → the latest record. */
  readonly offlineQueues = new Map<string, Map<string, OfflineEvent>>();
  #counter = 1;

  constructor(key: string, memberId: string, options: PortalOptions) {
    this.key = key;
    this.memberId = memberId;
    this.offsetMinutes = options.offsetMinutes;
    this.plan = options.plan;
    this.#domain = options.domain;
    this.#endpoint = options.endpoint;
    const nextId = () => this.nextId();
    this.leads = new EntityStore('CRM_LEAD', LEAD_FIELDS, nextId, {
      defaults: (_ctx, id) => ({
        TITLE: `Lead #${id}`,
        STATUS_ID: 'NEW',
        OPPORTUNITY: '0.00',
        CURRENCY_ID: 'RUB',
        IS_MANUAL_OPPORTUNITY: 'N',
      }),
      derive: (row) => this.#deriveLead(row),
    });
    this.companies = new EntityStore('CRM_COMPANY', COMPANY_FIELDS, nextId, {
      defaults: () => ({ COMPANY_TYPE: 'CUSTOMER', CURRENCY_ID: 'RUB' }),
    });
    this.contacts = new EntityStore('CRM_CONTACT', CONTACT_FIELDS, nextId, {
      defaults: () => ({ TYPE_ID: 'CLIENT', SOURCE_ID: 'SELF' }),
    });
    for (const user of options.users) this.addUser(user);
  }

  /** Host (and port) the portal says it lives at; defaults to the simulator's own address. */
  get domain(): string {
    return this.#domain ?? new URL(this.#endpoint()).host;
  }

  /** `https://<sim>/rest/`, what apps get as `client_endpoint`. */
  get clientEndpoint(): string {
    return `${this.#endpoint()}/rest/`;
  }

  /** An unguessable token for an `uploadUrl`. */
  nextUploadToken(): string {
    return randomBytes(16).toString('base64url');
  }

  /** A portal-wide counter for ids that need only be unique (multifield values, comments, calls). */
  nextId(): number {
    return this.#counter++;
  }

  writeContext(userId: number, now: number): WriteContext {
    return { userId, now, offsetMinutes: this.offsetMinutes };
  }

  addUser(seed: PortalUserSeed): PortalUser {
    const user: PortalUser = {
      ID: String(seed.id),
      ACTIVE: seed.active ?? true,
      ADMIN: seed.admin ?? seed.id === 1,
      NAME: seed.name ?? (seed.id === 1 ? 'Admin' : `User ${seed.id}`),
      LAST_NAME: seed.lastName ?? '',
      EMAIL: seed.email ?? `user${seed.id}@example.test`,
      UF_PHONE_INNER: seed.phoneInner ?? String(100 + seed.id),
      UF_DEPARTMENT: [1],
      TIME_ZONE: '',
    };
    this.users.set(seed.id, user);
    return user;
  }

  /** Adds a lead directly, as user 1, without raising events (test set-up). */
  seedLead(fields: Row, now = Date.now()): number {
    this.#ensureUserFields(this.leads, fields);
    return this.leads.add(fields, this.writeContext(1, now));
  }

  /** Seeds a partner company (e.g. with `UF_CRM_PROZVON_REF`, which is created if missing). */
  seedCompany(fields: Row, now = Date.now()): number {
    this.#ensureUserFields(this.companies, fields);
    return this.companies.add(fields, this.writeContext(1, now));
  }

  seedContact(fields: Row, now = Date.now()): number {
    this.#ensureUserFields(this.contacts, fields);
    return this.contacts.add(fields, this.writeContext(1, now));
  }

  /** Creates the smart process `entityTypeId` (≥ 128) if needed and adds an item to it. */
  seedItem(entityTypeId: number, fields: Record<string, unknown>, now = Date.now()): number {
    return this.smartProcess(entityTypeId).add(fields, now, this.offsetMinutes);
  }

  smartProcess(entityTypeId: number, title = `Smart process ${entityTypeId}`): ItemStore {
    let store = this.smartProcesses.get(entityTypeId);
    if (store === undefined) {
      store = new ItemStore(entityTypeId, title);
      this.smartProcesses.set(entityTypeId, store);
    }
    return store;
  }

  /** Defines a custom field; returns its full name (`PROZVON_REF` → `UF_CRM_PROZVON_REF`). */
  addUserField(
    store: EntityStore,
    name: string,
    type = 'string',
    multiple = false,
    label = '',
  ): UserFieldDef {
    const fieldName = userFieldName(name);
    if (fieldName === undefined) throw new RangeError(`invalid user field name: ${name}`);
    const existing = store.userFields.get(fieldName);
    if (existing) return existing;
    const def: UserFieldDef = {
      ID: String(this.nextId()),
      ENTITY_ID: store.entityId,
      FIELD_NAME: fieldName,
      USER_TYPE_ID: type,
      MULTIPLE: multiple ? 'Y' : 'N',
      MANDATORY: 'N',
      LABEL: label || fieldName,
    };
    store.userFields.set(fieldName, def);
    return def;
  }

  statusSemantics(statusId: unknown): 'P' | 'S' | 'F' {
    const row = this.statuses.find((s) => s.ENTITY_ID === 'STATUS' && s.STATUS_ID === statusId);
    return row?.SEMANTICS ?? 'P';
  }

  #deriveLead(row: Row): void {
    row.STATUS_SEMANTIC_ID = this.statusSemantics(row.STATUS_ID);
    // Linking a lead to a company or contact marks it a returning customer (BITRIX24.md §4.1).
    row.IS_RETURN_CUSTOMER = row.COMPANY_ID || row.CONTACT_ID ? 'Y' : 'N';
  }

  #ensureUserFields(store: EntityStore, fields: Row): void {
    for (const name of Object.keys(fields)) {
      if (name.startsWith('UF_')) this.addUserField(store, name);
    }
  }
}

export interface PortalOptions {
  offsetMinutes: number;
  plan: 'standard' | 'enterprise';
  domain: string | undefined;
  endpoint: () => string;
  users: readonly PortalUserSeed[];
}
