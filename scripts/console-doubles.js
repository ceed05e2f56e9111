// Console doubles of the four ports for `npm start`, until the demo on the testkit's simulators
// arrives: they print every effect they receive, labelled as doubles, and answer like the real
// services would for the demo's sample numbers. Nothing here talks to a real service.
import { RecordingCrm, RecordingNotifier, RecordingSms, RecordingVoice } from '@prozvon/sdk/testing';

const label = (port) => `  \x1b[2m[console double · ${port}]\x1b[0m`;

/** What the virtual customer does, by the last digit of the number. */
export function demoOutcome(phone, attempt) {
  const digit = phone.at(-1);
  if (digit === '1') return 'answered';
  if (digit === '2') return 'machine';
  if (digit === '3') return attempt === 1 ? 'nodial' : 'answered';
  return 'nodial';
}

export function consoleDoubles(print) {
  const crm = new RecordingCrm();
  crm.partners.set('PARTNER42', { id: '42', name: 'Партнёр 42', entity: 'company' });
  const createLead = crm.createLead.bind(crm);
  crm.createLead = async (request) => {
    const ref = await createLead(request);
    print(`${label('CRM')} lead ${ref.id} "${request.lead.name}" partner=${request.partner?.name ?? '—'}`);
    return ref;
  };
  const recordCall = crm.recordCall.bind(crm);
  crm.recordCall = async (crmLeadId, record) => {
    await recordCall(crmLeadId, record);
    print(`${label('CRM')} call on lead ${crmLeadId}: attempt ${record.attempt}, ${record.outcome}`);
  };
  const markNoAnswer = crm.markNoAnswer.bind(crm);
  crm.markNoAnswer = async (crmLeadId, record) => {
    await markNoAnswer(crmLeadId, record);
    print(`${label('CRM')} lead ${crmLeadId} marked "no answer" (attempt ${record.attempt})`);
  };

  const voice = new RecordingVoice();
  const sms = new RecordingSms();
  const send = sms.send.bind(sms);
  sms.send = async (message) => {
    const receipt = await send(message);
    print(`${label('SMS')} to ${message.phone}: ${message.text}`);
    return receipt;
  };
  const notifier = new RecordingNotifier();
  const notify = notifier.notify.bind(notifier);
  notifier.notify = async (notice) => {
    await notify(notice);
    print(`${label('Telegram')} ${notice.kind}: ${notice.customerName}`);
  };
  return { crm, voice, sms, notifier };
}
