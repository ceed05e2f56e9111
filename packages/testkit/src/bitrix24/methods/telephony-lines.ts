import type { ExternalLine } from '../records.js';
import { coreError } from './params.js';
import type { CallContext, MethodTable, Params } from './types.js';

/** `NUMBER`, required by add, update and delete: "NUMBER should not be empty". */
function number(params: Params): string {
  const value = params.NUMBER;
  if (value === undefined || value === null || String(value).trim() === '') {
    throw coreError('NUMBER should not be empty');
  }
  return String(value).trim();
}

/** Y or N; anything but N counts as Y (unverified: the docs list only the two values). */
const autoCreate = (value: unknown): 'Y' | 'N' => (String(value).toUpperCase() === 'N' ? 'N' : 'Y');

/** Lines belong to the app that added them: another app neither sees nor changes them. */
function ownLine(params: Params, ctx: CallContext): ExternalLine {
  const wanted = number(params);
  const line = ctx.portal.externalLines.find((l) => l.clientId === ctx.auth.clientId && l.number === wanted);
  if (line === undefined) throw coreError(`Could not find line with number ${wanted}`);
  return line;
}

/**
 * `telephony.externalLine.add/get/update/delete` (api-reference/telephony/telephony-external-line-*.md):
 * the app's own outgoing lines, app context only (a webhook gets WRONG_AUTH_TYPE), scope telephony.
 * A line's CRM_AUTO_CREATE=N stops register's CRM_CREATE for outgoing calls on it (telephony.ts).
 */
export const externalLineMethods: MethodTable = {
  'telephony.externalline.add': {
    scope: 'telephony',
    appOnly: true,
    handle(params, ctx) {
      const wanted = number(params);
      const clientId = ctx.auth.clientId ?? '';
      if (ctx.portal.externalLines.some((l) => l.clientId === clientId && l.number === wanted)) {
        throw coreError('Line already exists');
      }
      const line: ExternalLine = {
        id: ctx.portal.nextId(),
        clientId,
        number: wanted,
        name: params.NAME === undefined ? '' : String(params.NAME),
        crmAutoCreate: params.CRM_AUTO_CREATE === undefined ? 'Y' : autoCreate(params.CRM_AUTO_CREATE),
      };
      ctx.portal.externalLines.push(line);
      return { result: { ID: line.id } };
    },
  },
  'telephony.externalline.get': {
    scope: 'telephony',
    appOnly: true,
    handle: (_params, ctx) => ({
      result: ctx.portal.externalLines
        .filter((l) => l.clientId === ctx.auth.clientId)
        .map((l) => ({ NUMBER: l.number, NAME: l.name, CRM_AUTO_CREATE: l.crmAutoCreate })),
    }),
  },
  'telephony.externalline.update': {
    scope: 'telephony',
    appOnly: true,
    handle(params, ctx) {
      number(params);
      if (params.NAME === undefined && params.CRM_AUTO_CREATE === undefined) {
        throw coreError('There are no fields to update');
      }
      const line = ownLine(params, ctx);
      if (params.NAME !== undefined) line.name = String(params.NAME);
      if (params.CRM_AUTO_CREATE !== undefined) line.crmAutoCreate = autoCreate(params.CRM_AUTO_CREATE);
      // The documented answer gives the id as a string here (a number from add).
      return { result: { ID: String(line.id) } };
    },
  },
  'telephony.externalline.delete': {
    scope: 'telephony',
    appOnly: true,
    handle(params, ctx) {
      const line = ownLine(params, ctx);
      ctx.portal.externalLines.splice(ctx.portal.externalLines.indexOf(line), 1);
      return { result: [] };
    },
  },
};
