import { type EffectView, type LeadDetail, whoLabel } from './lead-detail.js';

export type TimelineTone = 'info' | 'success' | 'warning' | 'alert';

/** What an entry is about, for its icon. */
export type TimelineKind = 'lead' | 'state' | 'call' | 'sms' | 'notice' | 'action' | 'crm';

export interface TimelineEntry {
  readonly at: number;
  readonly kind: TimelineKind;
  readonly title: string;
  readonly description: string;
  readonly tone: TimelineTone;
  /** A link to open (a call's recording). */
  readonly link?: { readonly href: string; readonly label: string };
  /** Order among entries of the same instant. */
  readonly order: number;
}

/** Outcomes of a call as the engine names them (CallOutcome), as a seller reads them. */
const OUTCOMES: Record<string, { label: string; tone: TimelineTone }> = {
  answered: { label: 'answered', tone: 'success' },
  machine: { label: 'an answering machine took the call', tone: 'warning' },
  nodial: { label: 'no answer', tone: 'warning' },
  invalid: { label: 'the number does not exist', tone: 'alert' },
  refused: { label: 'refused (busy or rejected)', tone: 'warning' },
  unheard: { label: 'hung up before the message', tone: 'warning' },
  unknown: { label: 'outcome unknown', tone: 'info' },
};

/** The sellers' notices (the engine's NoticeKind) as the tab names them. */
const NOTICES: Record<string, string> = {
  newLead: 'a new lead',
  crmFailed: 'the CRM refused the lead',
  manual: 'the lead needs a seller',
  callOutcome: 'how the call ended',
};

const STATES: Record<string, string> = {
  'call.dialing': 'dialling',
  'call.awaitingResult': 'calling',
  'call.night': 'waiting for working hours',
  'call.nodial': 'no answer yet: calling again later',
  'call.invalid': 'the number cannot be called',
  'crm.partnerLookup': 'finding the partner',
  'crm.creating': 'being added to the CRM',
  'call.answered': 'answered',
  'call.machine': 'answering machine',
  'call.manual': 'handed to the sellers',
  'crm.manual': 'the CRM refused it: for the sellers',
  'crm.created': 'in the CRM',
};

/** A state name as the tab shows it: `call.answered` → answered; unknown names as they are. */
export function stateLabel(name: string): string {
  return STATES[name] ?? name.replace(/^(crm|call)\./, '');
}

/**
 * The lead's history, newest first: when it came, each change of state, each call attempt with
 * its outcome, duration and recording, each SMS with its text, the sellers' notices, and what
 * people did (an action refused included) — from the lead's audit trail and its effects.
 */
export function timelineOf(detail: LeadDetail): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const entry of detail.audit) {
    const detailOf = (entry.detail ?? {}) as Record<string, unknown>;
    if (entry.type === 'event') {
      const event = String(detailOf.event ?? '');
      if (event === 'SUBMITTED' || event === 'ADOPTED') {
        const from =
          event === 'ADOPTED' ? `from CRM lead ${String(detailOf.crmLeadId ?? '')}` : 'from the shop’s site';
        const who = [detail.lead.name, detail.lead.phone].filter(Boolean).join(', ');
        entries.push({
          at: entry.at,
          kind: 'lead',
          title: 'Lead received',
          description: `${who} ${from}`.trim(),
          tone: 'info',
          order: 0,
        });
      } else if (typeof detailOf.by === 'string') {
        entries.push({
          at: entry.at,
          kind: 'action',
          title: actionTitle(event),
          description: `by ${whoLabel(detailOf.by)}`,
          tone: 'info',
          order: 1,
        });
      }
    } else if (entry.type === 'transition') {
      const to = (detailOf.to ?? {}) as { crmState?: string; callState?: string };
      const from = (detailOf.from ?? {}) as { crmState?: string; callState?: string };
      const changed = [
        to.crmState !== from.crmState ? to.crmState : null,
        to.callState !== from.callState ? to.callState : null,
      ]
        .filter((name): name is string => typeof name === 'string')
        .map(stateLabel);
      if (changed.length > 0) {
        entries.push({
          at: entry.at,
          kind: 'state',
          title: `Now: ${changed.join(', ')}`,
          description: '',
          tone: toneOfStates(to),
          order: 2,
        });
      }
    } else if (entry.type === 'rejected') {
      entries.push({
        at: entry.at,
        kind: 'action',
        title: 'Action refused',
        description: summary(detailOf),
        tone: 'alert',
        order: 3,
      });
    }
  }
  for (const effect of detail.effects) {
    const entry = effectEntry(effect);
    if (entry !== null) entries.push(entry);
  }
  return entries.sort((a, b) => b.at - a.at || b.order - a.order);
}

function effectEntry(effect: EffectView): TimelineEntry | null {
  const at = effect.finishedAt ?? effect.createdAt;
  const about = effect.about ?? {};
  const failed = effect.status === 'failed';
  const reason = failed ? ` — ${summary(effect.result)}` : '';
  switch (effect.kind) {
    case 'markNoAnswer':
      // The same call as its recordCall: here only what it did, the CRM card's "no answer" mark.
      return {
        at,
        kind: 'crm',
        title: failed ? 'The CRM card could not be marked “no answer”' : 'CRM card marked “no answer”',
        description: reason.replace(/^ — /, ''),
        tone: failed ? 'alert' : 'info',
        order: 5,
      };
    case 'recordCall': {
      const outcome = OUTCOMES[String(about.outcome)] ?? {
        label: String(about.outcome ?? 'unknown'),
        tone: 'info' as const,
      };
      // A call nobody picked up lasted nothing worth saying.
      const duration =
        typeof about.durationSec === 'number' && about.durationSec > 0 ? `, ${about.durationSec} s` : '';
      const recording = typeof about.recordingUrl === 'string' ? about.recordingUrl : null;
      return {
        at,
        kind: 'call',
        title: `Call ${String(about.attempt ?? '')}: ${outcome.label}`.replace('Call : ', 'Call: '),
        description: `${duration.replace(/^, /, 'Lasted ')}${reason}`,
        tone: failed ? 'alert' : outcome.tone,
        ...(recording === null ? {} : { link: { href: recording, label: 'Recording' } }),
        order: 4,
      };
    }
    case 'dial':
      return {
        at: effect.createdAt,
        kind: 'call',
        title: `Dialling, attempt ${String(about.attempt ?? '')}`,
        description: failed ? `The call could not be placed${reason}` : '',
        tone: failed ? 'alert' : 'info',
        order: 3,
      };
    case 'sendSms':
      return {
        at,
        kind: 'sms',
        title: `SMS (${String(about.kind ?? '')}) ${statusWord(effect.status)}`,
        description: `${typeof about.text === 'string' ? `“${about.text}”` : ''}${reason}`,
        tone: failed ? 'alert' : 'info',
        order: 5,
      };
    case 'notify':
      return {
        at,
        kind: 'notice',
        title:
          `Sellers notified: ${NOTICES[String(about.notice)] ?? String(about.notice ?? '')} ${failed ? '(failed)' : ''}`.trim(),
        description: reason.replace(/^ — /, ''),
        tone: failed ? 'alert' : 'info',
        order: 6,
      };
    case 'createCrmLead':
      return failed
        ? {
            at,
            kind: 'crm',
            title: 'The CRM refused the lead',
            description: summary(effect.result),
            tone: 'alert',
            order: 2,
          }
        : null;
    default:
      return null;
  }
}

function statusWord(status: string): string {
  if (status === 'done') return 'sent';
  if (status === 'failed') return 'failed';
  if (status === 'cancelled') return 'cancelled';
  return 'queued';
}

function toneOfStates(to: { crmState?: string; callState?: string }): TimelineTone {
  if (to.callState === 'call.answered') return 'success';
  if (to.crmState === 'crm.manual' || to.callState === 'call.manual') return 'warning';
  return 'info';
}

function actionTitle(event: string): string {
  const names: Record<string, string> = {
    CANCEL_CALLS: 'Calling stopped',
    RETRY_CRM: 'Sent to the CRM again',
    CALL_NOW: 'Call now asked',
    MACHINE_WAS_PERSON: 'Marked: a person answered, not a machine',
  };
  return names[event] ?? event.toLowerCase().replaceAll('_', ' ');
}

/** An error or detail as one line: its message or error text, else compact JSON. */
function summary(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    for (const key of ['message', 'error', 'reason', 'description']) {
      if (typeof v[key] === 'string' && v[key] !== '') return v[key] as string;
    }
  }
  const text = JSON.stringify(value ?? '');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
