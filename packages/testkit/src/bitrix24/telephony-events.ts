import { z } from 'zod';
import { type Cause, emitEvent } from './emit.js';
import type { InstallDeps } from './install.js';
import { register } from './methods/telephony.js';
import type { CallContext, SimServices } from './methods/types.js';
import type { Portal } from './portal.js';

export const callbackRequestSchema = z.object({
  /** The app chosen in the form's settings as the line the callback goes through. */
  clientId: z.string().min(1),
  /** The number the visitor typed into the form. */
  phone: z.string().min(1),
  /** The app's external line the form names. */
  lineNumber: z.string().min(1),
  /** What the form says to speak at the start of the call, and with which voice. */
  text: z.string().default(''),
  voice: z.string().default(''),
  /** The visitor's name, for the lead the form creates. */
  name: z.string().optional(),
});
export type CallbackRequest = z.input<typeof callbackRequestSchema>;

export const clickToCallSchema = z.object({
  /** The app chosen as the default outgoing line (portal or user setting). */
  clientId: z.string().min(1),
  /** The user who clicked the number. */
  userId: z.number().int().positive().default(1),
  phone: z.string().min(1),
  entityType: z.enum(['LEAD', 'CONTACT', 'COMPANY']).optional(),
  entityId: z.number().int().positive().optional(),
  lineNumber: z.string().optional(),
  callListId: z.number().int().positive().optional(),
});
export type ClickToCall = z.input<typeof clickToCallSchema>;

function installed(portal: Portal, clientId: string) {
  const install = portal.installs.get(clientId);
  if (install === undefined) throw new Error(`${clientId} is not installed on ${portal.key}`);
  return install;
}

/**
 * A visitor fills in a CRM callback form whose line is the app's
 * (`api-reference/telephony/events/on-external-call-back-start.md`): the form creates a lead
 * (ONCRMLEADADD, nobody's tokens), then the app's OnExternalCallBackStart handlers — and only
 * that app's — get PHONE_NUMBER, TEXT, VOICE, CRM_ENTITY_TYPE, CRM_ENTITY_ID and LINE_NUMBER.
 * Like every event, nothing is sent before installFinish.
 */
export function requestCallback(
  deps: InstallDeps,
  portal: Portal,
  input: CallbackRequest,
): { leadId: number } {
  const request = callbackRequestSchema.parse(input);
  installed(portal, request.clientId);
  const leadId = portal.leads.add(
    {
      TITLE: 'Callback request',
      ...(request.name === undefined ? {} : { NAME: request.name }),
      PHONE: [{ VALUE: request.phone, VALUE_TYPE: 'WORK' }],
    },
    portal.writeContext(1, deps.clock.now()),
  );
  const nobody: Cause = { userId: undefined };
  emitEvent(deps, portal, 'ONCRMLEADADD', { FIELDS: { ID: String(leadId) } }, nobody);
  emitEvent(
    deps,
    portal,
    'ONEXTERNALCALLBACKSTART',
    {
      PHONE_NUMBER: request.phone,
      TEXT: request.text,
      VOICE: request.voice,
      CRM_ENTITY_TYPE: 'LEAD',
      CRM_ENTITY_ID: String(leadId),
      LINE_NUMBER: request.lineNumber,
    },
    { ...nobody, clientId: request.clientId },
  );
  return { leadId };
}

/**
 * A user clicks a number on a CRM card with the app as the default outgoing line
 * (`api-reference/telephony/events/on-external-call-start.md`): the portal registers the call
 * itself and the app's OnExternalCallStart handlers get its CALL_ID with the user's tokens.
 */
export function clickToCall(
  deps: InstallDeps,
  services: SimServices,
  portal: Portal,
  input: ClickToCall,
): { callId: string } {
  const click = clickToCallSchema.parse(input);
  installed(portal, click.clientId);
  const ctx: CallContext = {
    portal,
    auth: {
      kind: 'app',
      userId: click.userId,
      scopes: undefined,
      clientKey: click.clientId,
      clientId: click.clientId,
    },
    now: deps.clock.now(),
    sim: services,
  };
  const registered = register(
    {
      USER_ID: click.userId,
      PHONE_NUMBER: click.phone,
      TYPE: 1,
      ...(click.entityType === undefined ? {} : { CRM_ENTITY_TYPE: click.entityType }),
      ...(click.entityId === undefined ? {} : { CRM_ENTITY_ID: click.entityId }),
      ...(click.lineNumber === undefined ? {} : { LINE_NUMBER: click.lineNumber }),
    },
    ctx,
  );
  emitEvent(
    deps,
    portal,
    'ONEXTERNALCALLSTART',
    {
      USER_ID: String(click.userId),
      PHONE_NUMBER: click.phone,
      CRM_ENTITY_TYPE: registered.CRM_ENTITY_TYPE ?? '',
      CRM_ENTITY_ID: registered.CRM_ENTITY_ID === null ? '' : String(registered.CRM_ENTITY_ID),
      CALL_LIST_ID: click.callListId === undefined ? '' : String(click.callListId),
      LINE_NUMBER: click.lineNumber ?? '',
      CALL_ID: registered.CALL_ID,
      IS_MOBILE: 'N',
    },
    { userId: click.userId, clientId: click.clientId },
  );
  return { callId: registered.CALL_ID };
}
