import { and, assign, enqueueActions, not, setup } from 'xstate';
import type { TenantConfig } from '../config/index.js';
import { canCallAt, nextCallWindow, shopDay } from '../hours/index.js';
import { normalizePhone } from '../phone/index.js';
import type { CallOutcome, CallReport } from '../ports/index.js';
import { type EffectParams, effectKey } from './effects.js';
import type { CrmWrite, LeadContext, LeadMachineInput } from './lead-context.js';
import type { LeadEvent } from './lead-events.js';
import {
  callNotice,
  crmFailedNotice,
  dailyLimitNotice,
  manualNotice,
  newLeadNotice,
  smsText,
} from './notices.js';

const MINUTE = 60_000;

/**
 * An effect to enqueue, typed by our own catalogue. XState cannot type `enqueue()` against the
 * actions of the same `setup()` call that declares them, hence the cast in this one place.
 */
const effect = <T extends keyof EffectParams>(type: T, params: EffectParams[T]) =>
  ({ type, params }) as never;

/** Line types we never ring: the call would cost the shop, or reach no person. */
const UNCALLABLE_TYPES = new Set(['premium_rate', 'shared_cost', 'pager', 'voicemail']);

/**
 * One lead as a pure XState machine with two parallel regions, `crm` and `call` (DESIGN.md, "The
 * lead machine"). Nothing here performs I/O or reads a clock: effects are named actions with
 * params, performed by the engine after the new state is committed; waits are `callWakeAt` in
 * context, turned into a stored wake-up time. No state is `final` in XState terms, so late
 * results still reach the machine (and change nothing); whether a lead is finished is derived
 * from its state names by `isFinished`.
 */
export function createLeadMachine(config: TenantConfig) {
  const phoneOptions = {
    defaultCountry: config.phone.defaultCountry,
    allowedCountries: config.phone.allowedCountries,
  };

  return setup({
    types: {
      context: {} as LeadContext,
      events: {} as LeadEvent,
      input: {} as LeadMachineInput,
    },
    guards: {
      hasPartnerCode: ({ context }) => context.lead.partnerCode !== undefined,
      // Only an adopted lead has a CRM lead before it is created: the input gave it.
      isAdopted: ({ context }) => context.crmLeadId !== null,
      callsBarred: ({ context }) => context.callsAllowed === false,
      phoneUnusable: ({ context }) => !context.phone.ok || UNCALLABLE_TYPES.has(context.phone.type),
      outsideHours: ({ context }) => !canCallAt(new Date(context.now), config.hours, context.lead.timezone),
      noCallWindow: ({ context }) =>
        nextCallWindow(new Date(context.now), config.hours, context.lead.timezone) === null,
      isDue: ({ context, event }) => context.callWakeAt !== null && event.at >= context.callWakeAt,
      // CALL_NOW is decided at its own instant: context.now is the last event's.
      callableAtEvent: ({ context, event }) =>
        canCallAt(new Date(event.at), config.hours, context.lead.timezone),
      isReconciling: ({ context }) => context.reconciling,
      isCurrentAttempt: ({ context, event }) => isCurrentAttempt(context, event),
      attemptsLeft: ({ context }) => context.attempt < config.maxAttempts,
      isAuthFailure: ({ event }) => event.type === 'CRM_FAILED' && event.code === 'auth',
      // Results come back at least once: a repeated look-up failure must not fail the create.
      isPartnerFailure: ({ context, event }) =>
        event.type === 'CRM_FAILED' && event.effectKey === effectKey.partner(context.leadId),
      isCreateFailure: ({ context, event }) =>
        event.type === 'CRM_FAILED' &&
        event.effectKey === effectKey.crmCreate(context.leadId, context.crmAttempt),
      dialRefused: ({ event }) =>
        event.type === 'DIAL_FAILED' && (event.code === 'auth' || event.code === 'permanent'),
      isCurrentReport: ({ context, event }, outcome: CallOutcome) =>
        isCurrentAttempt(context, event) && reportOf(event)?.outcome === outcome,
      isCurrentEmptyHistory: ({ context, event }) =>
        isCurrentAttempt(context, event) && context.reconciling && reportOf(event) === null,
      // The provider's history has no call under the attempt's key: nothing rang (the dial was
      // stored started and the process died before the request left). Not a lost customer.
      historyShowsNoCall: ({ event }) => event.type === 'RECONCILED' && event.unavailable !== true,
      cancelsCalls: ({ event }) => event.type === 'CANCEL',
      cancelsAll: ({ event }) => event.type === 'CANCEL' && event.scope === 'all',
      isCallbackOverdue: ({ context, event }) =>
        !context.reconciling && context.callWakeAt !== null && event.at >= context.callWakeAt,
    },
    actions: {
      // Effects: named here, performed by the engine. Their bodies are deliberately empty.
      lookupPartner: (_, _params: EffectParams['lookupPartner']) => {},
      createCrmLead: (_, _params: EffectParams['createCrmLead']) => {},
      recordCall: (_, _params: EffectParams['recordCall']) => {},
      markNoAnswer: (_, _params: EffectParams['markNoAnswer']) => {},
      dial: (_, _params: EffectParams['dial']) => {},
      reconcileCall: (_, _params: EffectParams['reconcileCall']) => {},
      sendSms: (_, _params: EffectParams['sendSms']) => {},
      notify: (_, _params: EffectParams['notify']) => {},

      stamp: assign({ now: ({ event }) => event.at }),

      requestPartner: enqueueActions(({ context, enqueue }) => {
        const code = context.lead.partnerCode;
        if (code === undefined) return;
        enqueue(effect('lookupPartner', { key: effectKey.partner(context.leadId), code }));
      }),

      requestCrmLead: enqueueActions(({ context, enqueue }) => {
        enqueue(
          effect('createCrmLead', {
            key: effectKey.crmCreate(context.leadId, context.crmAttempt),
            crmKey: effectKey.crmLead(context.leadId),
            lead: context.lead,
            phone: context.phone.ok ? context.phone.e164 : context.lead.phone,
            partner: context.partner,
            submittedAt: context.submittedAt,
          }),
        );
      }),

      keepCrmLead: assign(({ event }) =>
        event.type === 'CRM_CREATED' ? { crmLeadId: event.crmLeadId, crmUrl: event.crmUrl ?? null } : {},
      ),

      tellNewLead: enqueueActions(({ context, enqueue }) => {
        if (!config.notify.includes('newLead')) return;
        enqueue(effect('notify', newLeadNotice(context)));
      }),

      tellCrmFailed: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'CRM_FAILED' || !config.notify.includes('crmFailed')) return;
        enqueue(effect('notify', crmFailedNotice(context, event.code, event.message)));
      }),

      /** Writes the next queued call outcome to the card, once the CRM lead exists and the last write is done. */
      writeNextToCrm: enqueueActions(({ context, event, enqueue }) => {
        const finishedKey =
          event.type === 'CRM_WRITTEN' || event.type === 'CRM_FAILED' ? event.effectKey : null;
        const writing = context.crmWriting === finishedKey ? null : context.crmWriting;
        const [next, ...rest] = context.crmQueue;
        if (context.crmLeadId === null || writing !== null || next === undefined) {
          if (writing !== context.crmWriting) enqueue.assign({ crmWriting: writing });
          return;
        }
        const key =
          next.kind === 'recordCall'
            ? effectKey.call(context.leadId, next.record.attempt)
            : effectKey.noAnswer(context.leadId, next.record.attempt);
        enqueue(effect(next.kind, { key, crmLeadId: context.crmLeadId, record: next.record }));
        enqueue.assign({ crmQueue: rest, crmWriting: key });
      }),

      sendNightSmsOnce: enqueueActions(({ context, enqueue }) => {
        if (context.nightSmsSent || !context.phone.ok || !canTakeSms(context.phone.type)) return;
        enqueue.assign({ nightSmsSent: true });
        const text = smsText(config.sms.night, config, context);
        if (text === '') return;
        enqueue(
          effect('sendSms', {
            key: effectKey.sms(context.leadId, 'night'),
            kind: 'night',
            phone: context.phone.e164,
            text,
          }),
        );
      }),

      waitForWindow: assign({
        callWakeAt: ({ context }) =>
          nextCallWindow(new Date(context.now), config.hours, context.lead.timezone)?.getTime() ?? null,
      }),

      // No timeout yet: a dial may wait in the queue (a shop's pacing, a 429, an engine down for
      // minutes), and a timeout counted from here once sent a lead to the sellers while its dial
      // was still to be performed. The callback timeout starts when the dial has left.
      startAttempt: enqueueActions(({ context, enqueue }) => {
        if (!context.phone.ok) return;
        const attempt = context.attempt + 1;
        enqueue.assign({
          attempt,
          attemptStartedAt: context.now,
          callWakeAt: null,
          reconciling: false,
        });
        enqueue(
          effect('dial', {
            key: effectKey.dial(context.leadId, attempt),
            attempt,
            phone: context.phone.e164,
            customerName: context.lead.name,
            scenarioId: config.voice.scenarioId,
            callerId: config.voice.callerId,
          }),
        );
      }),

      startCallbackTimer: assign(({ event }) => ({
        attemptStartedAt: event.at,
        callWakeAt: event.at + config.callbackTimeoutMinutes * MINUTE,
      })),

      retryCrmLead: assign(({ context }) => ({ crmAttempt: context.crmAttempt + 1 })),

      askCallHistory: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ reconciling: true, callWakeAt: null });
        enqueue(
          effect('reconcileCall', {
            key: effectKey.reconcile(context.leadId, context.attempt),
            attempt: context.attempt,
            dialKey: effectKey.dial(context.leadId, context.attempt),
          }),
        );
      }),

      /** Keeps the outcome of the current attempt and queues it for the lead's card. */
      keepOutcome: enqueueActions(({ context, event, enqueue }) => {
        const report = reportOf(event);
        const outcome: CallOutcome | 'unknown' = report?.outcome ?? 'unknown';
        // Nothing rang: nothing to write on the card, the next attempt will be.
        if (event.type === 'RECONCILED' && report === null && event.unavailable !== true) {
          enqueue.assign({ outcomes: [...context.outcomes, { attempt: context.attempt, outcome }] });
          return;
        }
        const record = {
          key: effectKey.call(context.leadId, context.attempt),
          attempt: context.attempt,
          phone: context.phone.ok ? context.phone.e164 : context.lead.phone,
          outcome,
          startedAt: context.attemptStartedAt ?? context.now,
          durationSec: report?.durationSec ?? 0,
          ...(report?.failureCode === undefined ? {} : { failureCode: report.failureCode }),
          ...(report?.recordingUrl === undefined ? {} : { recordingUrl: report.recordingUrl }),
        };
        const writes: CrmWrite[] = [{ kind: 'recordCall', record }];
        if (outcome === 'nodial') writes.push({ kind: 'markNoAnswer', record });
        enqueue.assign({
          outcomes: [...context.outcomes, { attempt: context.attempt, outcome }],
          crmQueue: [...context.crmQueue, ...writes],
          callWakeAt: null,
          reconciling: false,
        });
        const told =
          config.notify.includes('callOutcome') ||
          (outcome === 'machine' && config.notify.includes('machine'));
        // A refused or unheard call reaches the sellers as a manual notice, not a second one here.
        if (told && outcome !== 'unknown' && outcome !== 'refused' && outcome !== 'unheard') {
          enqueue(effect('notify', callNotice(context, outcome)));
        }
      }),

      confirmBySms: enqueueActions(({ context, event, enqueue }) => {
        const kind = reportOf(event)?.outcome === 'machine' ? 'machine' : 'answered';
        if (!context.phone.ok || !canTakeSms(context.phone.type)) return;
        const text = smsText(config.sms[kind], config, context);
        if (text === '') return;
        enqueue(
          effect('sendSms', {
            key: effectKey.sms(context.leadId, kind),
            kind,
            phone: context.phone.e164,
            text,
          }),
        );
      }),

      waitToRetry: assign({
        callWakeAt: ({ context }) => context.now + config.retryIntervalMinutes * MINUTE,
      }),

      goManual: enqueueActions(({ context, event, enqueue }, reason: string) => {
        enqueue.assign({ manualReason: reason, callWakeAt: null, reconciling: false });
        if (!config.notify.includes('manual')) return;
        const notice =
          reason === 'daily_limit'
            ? dailyLimitNotice(context, shopDay(context.now, config.hours.timezone).date)
            : manualNotice(context, reason, manualDetail(event));
        enqueue(effect('notify', notice));
      }),

      /** Stopped by a person or the tenant's removal: the reason they gave, no notice back to them. */
      stopCalls: assign(({ event }) => ({
        manualReason: event.type === 'CANCEL' ? event.reason : 'cancelled',
        callWakeAt: null,
        reconciling: false,
      })),
    },
  }).createMachine({
    id: 'lead',
    type: 'parallel',
    context: ({ input }) => ({
      leadId: input.leadId,
      tenantId: input.tenantId,
      lead: input.lead,
      submittedAt: input.at,
      now: input.at,
      crmAttempt: 1,
      phone: input.phone ?? normalizePhone(input.lead.phone, phoneOptions),
      partner: null,
      crmLeadId: input.adoptedFrom?.crmLeadId ?? null,
      crmUrl: input.adoptedFrom?.crmUrl ?? null,
      crmQueue: [],
      crmWriting: null,
      attempt: 0,
      callWakeAt: null,
      attemptStartedAt: null,
      reconciling: false,
      nightSmsSent: false,
      outcomes: [],
      manualReason: null,
      ...(input.callsAllowed === false ? { callsAllowed: false } : {}),
    }),
    states: {
      crm: {
        initial: 'intake',
        states: {
          // Where every lead enters, never stored (it always moves on at once, so no snapshot
          // names it). A lead adopted from the CRM exists there already: it starts created, told
          // to the sellers like any new lead, and its call outcomes go on that CRM lead's card.
          // Any other lead is looked up and created; choosing here, in the same step as the call
          // region's first move, keeps its effects in the order they had before (create, dial).
          intake: {
            always: [
              { guard: 'isAdopted', target: 'created', actions: 'tellNewLead' },
              { guard: 'hasPartnerCode', target: 'partnerLookup' },
              { target: 'creating' },
            ],
          },
          partnerLookup: {
            entry: 'requestPartner',
            // Unreachable from `intake` without a code; kept for a snapshot stored otherwise.
            always: { guard: not('hasPartnerCode'), target: 'creating' },
            on: {
              PARTNER_FOUND: {
                target: 'creating',
                actions: assign({ partner: ({ event }) => event.partner }),
              },
              CRM_FAILED: [
                {
                  guard: and(['isPartnerFailure', 'isAuthFailure']),
                  target: 'manual',
                  actions: 'tellCrmFailed',
                },
                // A broken partner look-up must not cost the lead: it goes on without a partner.
                { guard: 'isPartnerFailure', target: 'creating' },
              ],
              CANCEL: { guard: 'cancelsAll', target: 'manual' },
            },
          },
          creating: {
            entry: 'requestCrmLead',
            on: {
              CRM_CREATED: { target: 'created', actions: ['keepCrmLead', 'tellNewLead', 'writeNextToCrm'] },
              CRM_FAILED: {
                guard: 'isCreateFailure',
                target: 'manual',
                actions: 'tellCrmFailed',
              },
              CANCEL: { guard: 'cancelsAll', target: 'manual' },
            },
          },
          created: {
            on: {
              CRM_WRITTEN: { actions: 'writeNextToCrm' },
              // A card write the CRM refused for good is skipped (the audit trail keeps it).
              CRM_FAILED: { actions: 'writeNextToCrm' },
            },
          },
          manual: {
            on: {
              // Sent to the CRM again once its token is fixed: the same ORIGIN_ID, so a lead the
              // CRM did create after all is found, never made twice.
              RETRY_CRM: { target: 'creating', actions: ['stamp', 'retryCrmLead'] },
            },
          },
        },
      },
      call: {
        initial: 'callable',
        states: {
          callable: {
            always: [
              { guard: 'phoneUnusable', target: 'invalid' },
              // Past the shop's daily ceiling: to the sellers, neither called nor texted.
              {
                guard: 'callsBarred',
                target: 'manual',
                actions: { type: 'goManual', params: 'daily_limit' },
              },
              // Inside hours is the common case and cheap to check (µs); searching for the next
              // window costs milliseconds, so it is only done for a lead that has to wait.
              { guard: not('outsideHours'), target: 'dialing' },
              {
                guard: 'noCallWindow',
                target: 'manual',
                actions: { type: 'goManual', params: 'no_call_window' },
              },
              { target: 'night' },
            ],
          },
          night: {
            entry: ['sendNightSmsOnce', 'waitForWindow'],
            on: {
              WAKE: { guard: 'isDue', target: 'callable', actions: 'stamp' },
              CALL_NOW: CALL_NOW,
              CANCEL: CANCEL_CALLS,
            },
          },
          dialing: {
            entry: 'startAttempt',
            on: {
              DIAL_STARTED: {
                guard: 'isCurrentAttempt',
                target: 'awaitingResult',
                actions: 'startCallbackTimer',
              },
              CANCEL: CANCEL_CALLS,
              DIAL_FAILED: [
                {
                  guard: and(['isCurrentAttempt', 'dialRefused']),
                  target: 'manual',
                  actions: [
                    'stamp',
                    'keepOutcome',
                    'writeNextToCrm',
                    { type: 'goManual', params: 'dial_refused' },
                  ],
                },
                // The request may have reached the provider: wait for its result or the timeout.
                { guard: 'isCurrentAttempt', target: 'awaitingResult', actions: 'startCallbackTimer' },
              ],
              ...resultTransitions(),
            },
          },
          awaitingResult: { on: { ...resultTransitions(), CANCEL: CANCEL_CALLS } },
          answered: {},
          machine: {},
          nodial: {
            entry: 'waitToRetry',
            always: {
              guard: not('attemptsLeft'),
              target: 'manual',
              actions: { type: 'goManual', params: 'no_answer' },
            },
            on: {
              WAKE: { guard: 'isDue', target: 'callable', actions: 'stamp' },
              CALL_NOW: CALL_NOW,
              CANCEL: CANCEL_CALLS,
            },
          },
          invalid: {},
          manual: {},
        },
      },
    },
  });

  /** How a call result (from the callback or from call history) moves the call region. */
  function resultTransitions() {
    const onReport = <O extends CallOutcome>(outcome: O) =>
      ({
        guard: { type: 'isCurrentReport', params: outcome },
        target: outcome,
        actions:
          outcome === 'answered' || outcome === 'machine'
            ? (['stamp', 'keepOutcome', 'confirmBySms', 'writeNextToCrm'] as const)
            : (['stamp', 'keepOutcome', 'writeNextToCrm'] as const),
      }) as const;
    const reportTransitions = [
      onReport('answered'),
      onReport('machine'),
      onReport('nodial'),
      onReport('invalid'),
      // No balance, a blocked number, a rule missing: retrying is paying to fail again. The
      // sellers hear of it from the first lead, with the provider's reason.
      {
        guard: { type: 'isCurrentReport', params: 'refused' },
        target: 'manual',
        actions: ['stamp', 'keepOutcome', 'writeNextToCrm', { type: 'goManual', params: 'provider_refused' }],
      } as const,
      // Picked up, but the message did not play: the customer heard nothing, so no SMS confirms
      // the call; a retry would fail the same way until the shop fixes its recording or voice.
      {
        guard: { type: 'isCurrentReport', params: 'unheard' },
        target: 'manual',
        actions: ['stamp', 'keepOutcome', 'writeNextToCrm', { type: 'goManual', params: 'message_failed' }],
      } as const,
    ];
    return {
      CALL_RESULT: reportTransitions,
      RECONCILED: [
        ...reportTransitions,
        {
          guard: and(['isCurrentEmptyHistory', 'historyShowsNoCall', 'attemptsLeft']),
          target: 'callable',
          actions: ['stamp', 'keepOutcome'],
        } as const,
        {
          guard: 'isCurrentEmptyHistory',
          target: 'manual',
          actions: ['stamp', 'keepOutcome', 'writeNextToCrm', { type: 'goManual', params: 'no_call_result' }],
        } as const,
      ],
      WAKE: { guard: 'isCallbackOverdue', actions: ['stamp', 'askCallHistory'] } as const,
    };
  }
}

/**
 * A seller's "call now" for a waiting lead: through `callable`, so every rule a woken lead meets
 * (its phone, the daily ceiling, the hours) still holds; only inside the hours at that instant.
 */
const CALL_NOW = { guard: 'callableAtEvent', target: 'callable', actions: 'stamp' } as const;

/** Stops calling: the call region goes to the sellers with the reason given. */
const CANCEL_CALLS = { guard: 'cancelsCalls', target: 'manual', actions: ['stamp', 'stopCalls'] } as const;

/** What the sellers' notice says beyond the reason: the provider's own words. */
function manualDetail(event: LeadEvent): string | undefined {
  if (event.type === 'DIAL_FAILED') return event.message;
  const report = reportOf(event);
  if (report?.outcome !== 'refused' && report?.outcome !== 'unheard') return undefined;
  return report.detail ?? (report.failureCode === undefined ? undefined : `code ${report.failureCode}`);
}

/** A text to a landline is paid for and never read; the metadata tells most of them apart. */
function canTakeSms(type: string): boolean {
  return type !== 'fixed_line' && type !== 'toll_free';
}

function isCurrentAttempt(context: LeadContext, event: LeadEvent): boolean {
  return 'attempt' in event && event.attempt === context.attempt;
}

function reportOf(event: LeadEvent): CallReport | null {
  if (event.type === 'CALL_RESULT') return event.report;
  if (event.type === 'RECONCILED') return event.report;
  return null;
}

export type LeadMachine = ReturnType<typeof createLeadMachine>;
