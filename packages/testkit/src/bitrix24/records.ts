/** What the simulator keeps besides CRM entities; tests read these through `state`. */

export interface PortalUser {
  ID: string;
  ACTIVE: boolean;
  ADMIN: boolean;
  NAME: string;
  LAST_NAME: string;
  EMAIL: string;
  /** Internal phone number, for `USER_PHONE_INNER` in telephony calls. */
  UF_PHONE_INNER: string;
  UF_DEPARTMENT: number[];
  TIME_ZONE: string;
}

export interface TimelineComment {
  id: number;
  entityType: string;
  entityId: number;
  comment: string;
  authorId: number;
  created: string;
  files: unknown[];
}

export interface ExternalCall {
  callId: string;
  externalCallId: string | null;
  userId: number;
  phoneNumber: string;
  type: number;
  lineNumber: string | null;
  startDate: string;
  registeredAt: number;
  crmEntityType: string | null;
  crmEntityId: number | null;
  clientId: string;
  /** SHOW (default 1): the call card popped up on the user's screen. */
  show: boolean;
  /** ADD_TO_CHAT (default 1): a message about the call in the user's chat. */
  addToChat: boolean;
  /** The lead register created for CRM_CREATE=1 (CRM_CREATED_LEAD), or null. */
  createdLead: number | null;
  /** Set by finish. */
  finished?: {
    duration: number;
    statusCode: string;
    failedReason: string;
    cost: number;
    costCurrency: string;
    vote: number;
    activityId: number | null;
  };
  /** Set by attachRecord or its upload: the file the portal keeps (size in bytes). */
  record?: { fileId: number; fileName: string; url: string | null; size: number };
}

/** `telephony.externalLine.add`: an app's external line (telephony-external-line-add.md). */
export interface ExternalLine {
  id: number;
  clientId: string;
  number: string;
  name: string;
  crmAutoCreate: 'Y' | 'N';
}

/** A pending two-step record upload (the `token` of attachRecord's `uploadUrl`). */
export interface RecordUpload {
  callId: string;
  fileName: string;
  clientId: string;
}

/** A CRM activity; only telephony finish creates them in the simulator (a call on the card). */
export interface Activity {
  id: number;
  typeId: 2;
  direction: 1 | 2;
  ownerType: string;
  ownerId: number;
  subject: string;
  callId: string;
  duration: number;
  statusCode: string;
  completed: 'Y';
  created: string;
}

export interface EventHandler {
  id: number;
  clientId: string;
  event: string;
  handler: string;
  authType: number;
  offline: boolean;
  /** Offline only: changes made with this key are not queued for this binding. */
  authConnector?: string;
  /** ONOFFLINEEVENT only: at most one notification per this many seconds. */
  minTimeout?: number;
  lastSentAt?: number;
}

export interface PlacementBinding {
  clientId: string;
  placement: string;
  handler: string;
  title: string;
  description: string;
  groupName: string;
  userId: number;
  options: unknown;
  langAll: unknown;
}

/** An outbound event the portal POSTed (or tried to) to an app's handler. No retries, as the real one. */
export interface EventDelivery {
  event: string;
  handler: string;
  body: Record<string, unknown>;
  at: string;
  /** HTTP status, or the network error's message. */
  outcome?: number | string;
}

/** `crm.timeline.logmessage.add`: a low-priority log entry on a card (§4.6). */
export interface LogMessage {
  id: number;
  entityTypeId: number;
  entityId: number;
  title: string;
  text: string;
  iconCode: string;
  authorId: number;
  created: string;
}

/** `crm.activity.todo.add`: a to-do for a seller, e.g. a lead gone to `manual` (§4.6). */
export interface Todo {
  id: number;
  ownerTypeId: number;
  ownerId: number;
  deadline: string;
  title: string;
  description: string;
  responsibleId: number;
  created: string;
}

/** A queued offline event (§3): one record per object, the latest change wins. */
export interface OfflineEvent {
  ID: string;
  TIMESTAMP_X: string;
  EVENT_NAME: string;
  EVENT_DATA: unknown;
  EVENT_ADDITIONAL: unknown;
  MESSAGE_ID: string;
  /** Set while a `clear=0` read holds the record, until event.offline.clear. */
  PROCESS_ID?: string;
}

/** A request to `/oauth/token/` (§2.3): a test counts refreshes with these. */
export interface TokenRequest {
  grantType: string;
  clientId: string;
  /** The portal the tokens were issued for, when they were. */
  memberId?: string;
  /** `issued`, or the error code answered (`invalid_grant`, `invalid_client`…). */
  outcome: string;
  at: number;
}
