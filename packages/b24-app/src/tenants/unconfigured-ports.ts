import {
  AuthError,
  type CrmPort,
  type NotifierPort,
  PermanentError,
  type SmsPort,
  type VoicePort,
} from '@prozvon/sdk';

/**
 * Ports of a portal that has not connected a provider (and has no operator default): each refuses
 * at once and for good, naming what to set up, so the engine does what it does for any refused
 * call — the lead goes to the sellers, the audit trail says why — and never pretends to have sent.
 */
export function unconfiguredVoice(): VoicePort {
  const refuse = async (): Promise<never> => {
    throw new PermanentError('no telephony connected: connect a Voximplant account in Prozvon’s settings');
  };
  // No call was ever placed through it, so there is none to find.
  return { startCall: refuse, findCall: async () => null };
}

export function unconfiguredSms(): SmsPort {
  return {
    send: async () => {
      throw new PermanentError('no SMS gateway connected: add one in Prozvon’s settings');
    },
  };
}

export function unconfiguredNotifier(): NotifierPort {
  return {
    notify: async () => {
      throw new PermanentError('no Telegram chat connected: add a bot and chat in Prozvon’s settings');
    },
  };
}

/**
 * The CRM of a portal whose tokens Bitrix24 no longer accepts (`invalid_grant`): every write fails
 * as refused credentials, so its leads go to `crm.manual` while calls still happen.
 */
export function reinstallNeededCrm(): CrmPort {
  const refuse = async (): Promise<never> => {
    throw new AuthError('Bitrix24 refused the app’s tokens: reinstall Prozvon on the portal');
  };
  return {
    findPartner: refuse,
    createLead: refuse,
    findLeadByKey: refuse,
    markNoAnswer: refuse,
    recordCall: refuse,
  };
}
