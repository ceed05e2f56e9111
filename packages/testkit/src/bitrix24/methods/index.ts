import { eventMethods } from './app-events.js';
import { appOptionMethods } from './app-options.js';
import { placementMethods } from './app-placement.js';
import { batchMethods } from './batch.js';
import { activityMethods } from './crm-activity.js';
import { duplicateMethods } from './crm-duplicate.js';
import { itemMethods } from './crm-item.js';
import { leadMethods } from './crm-lead.js';
import { partnerMethods } from './crm-partners.js';
import { statusMethods } from './crm-status.js';
import { timelineMethods } from './crm-timeline.js';
import { userFieldMethodTable } from './crm-userfield.js';
import { offlineEventMethods } from './event-offline.js';
import { telephonyMethods } from './telephony.js';
import { externalLineMethods } from './telephony-lines.js';
import type { MethodTable } from './types.js';
import { userMethods } from './user.js';

/** Every method the simulator answers, by lower-case name; anything else is ERROR_METHOD_NOT_FOUND. */
export const allMethods: MethodTable = {
  ...leadMethods,
  ...partnerMethods,
  ...itemMethods,
  ...statusMethods,
  ...timelineMethods,
  ...activityMethods,
  ...duplicateMethods,
  ...userFieldMethodTable,
  ...userMethods,
  ...batchMethods,
  ...telephonyMethods,
  ...externalLineMethods,
  ...eventMethods,
  ...offlineEventMethods,
  ...placementMethods,
  ...appOptionMethods,
};
