import { z } from 'zod';

const method = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  error: 'expected a function',
});

const methods = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, method]));

/**
 * An adapter object of this shape, whatever else it has. Only the shape's keys are read from a
 * class's prototype (zod reads each as `input[key]`), so whatever is checked must be in it.
 */
const port = (name: string, shape: z.ZodRawShape) => z.looseObject(shape, { error: `expected the ${name}` });

const Ports = z.object({
  store: port(
    'lead store (a LeadStore)',
    methods(['migrate', 'insertLead', 'getLead', 'savePendingCall', 'getPendingCall']),
  ),
  crm: port(
    'CRM adapter (a CrmPort)',
    methods(['findPartner', 'createLead', 'findLeadByKey', 'markNoAnswer', 'recordCall']),
  ),
  voice: port('voice adapter (a VoicePort)', {
    ...methods(['startCall', 'findCall']),
    needsCallbacks: z.unknown().optional(),
    handleCallback: z.unknown().optional(),
  }).superRefine((parsed, ctx) => {
    const voice: Record<string, unknown> = parsed;
    if (voice.needsCallbacks === true && typeof voice.handleCallback !== 'function')
      ctx.addIssue({
        code: 'custom',
        path: ['handleCallback'],
        message:
          'missing, yet this voice adapter says its provider calls back for every call (needsCallbacks): ' +
          'pass the port as its factory made it (a wrapper must keep handleCallback), and mount ' +
          'handleVoiceCallback where its settings say',
      });
  }),
  sms: port('SMS adapter (an SmsPort)', methods(['send'])),
  notifier: port('notifier (a NotifierPort)', methods(['notify'])),
});

/**
 * Checks the adapters `createProzvon` is given, so a missing one or a missing piece of one fails
 * when the shop starts, naming it, and not at the first lead or the first call's callback.
 */
export function checkPorts(ports: Record<keyof z.input<typeof Ports>, unknown>): void {
  const parsed = Ports.safeParse(ports);
  if (parsed.success) return;
  const lines = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
  throw new TypeError(`createProzvon: ${lines.join('; ')}`);
}
