import { type CallRecord, PermanentError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { fakePortal, hookAuth, oauthAuth } from './fake-portal.js';

const portal = fakePortal();

const record = (overrides: Partial<CallRecord> = {}): CallRecord => ({
  key: 'lead:42:call:2',
  attempt: 2,
  phone: '+79161234567',
  outcome: 'answered',
  startedAt: Date.UTC(2026, 10, 25, 9, 31),
  durationSec: 41.6,
  ...overrides,
});

/** Every command succeeds; register answers a CALL_ID. */
const telephonyOk = () =>
  portal.reply(({ commands }) => ({
    result: Object.fromEntries(
      commands.map((c) => [c.id, c.method.endsWith('register') ? { CALL_ID: 'externalCall.abc.1' } : true]),
    ),
  }));

describe('recordCall with OAuth: a real call entry', () => {
  it('registers, finishes and attaches the record in one request, chained by $result', async () => {
    telephonyOk();
    const crm = createBitrix24Crm({ auth: oauthAuth(), calls: { userId: 5, lineNumber: '74951112233' } });
    await crm.recordCall('301', record({ recordingUrl: 'https://rec.example/a.mp3' }));
    expect(portal.sent).toHaveLength(1);
    const [register, finish, attach] = portal.commands();
    expect(register).toMatchObject({
      method: 'telephony.externalcall.register',
      params: {
        USER_ID: '5',
        PHONE_NUMBER: '+79161234567',
        TYPE: '1',
        CALL_START_DATE: '2026-11-25T09:31:00+00:00',
        CRM_CREATE: '0',
        CRM_ENTITY_TYPE: 'LEAD',
        CRM_ENTITY_ID: '301',
        SHOW: '0',
        ADD_TO_CHAT: '0',
        EXTERNAL_CALL_ID: 'lead:42:call:2',
        LINE_NUMBER: '74951112233',
      },
    });
    expect(finish).toMatchObject({
      method: 'telephony.externalcall.finish',
      params: {
        USER_ID: '5',
        CALL_ID: `$result[${register?.id}][CALL_ID]`,
        DURATION: '42',
        STATUS_CODE: '200',
        ADD_TO_CHAT: '0',
      },
    });
    expect(finish?.params).not.toHaveProperty('FAILED_REASON');
    expect(attach).toMatchObject({
      method: 'telephony.externalcall.attachRecord',
      params: { CALL_ID: `$result[${register?.id}][CALL_ID]`, RECORD_URL: 'https://rec.example/a.mp3' },
    });
  });

  it("puts the call on the leads' responsible seller unless a user is configured", async () => {
    telephonyOk();
    const crm = createBitrix24Crm({ auth: oauthAuth(), lead: { assignedById: 9 } });
    await crm.recordCall('301', record());
    expect(portal.commands().map((c) => c.params.USER_ID)).toEqual(['9', '9']);
    portal.sent.length = 0;
    await createBitrix24Crm({ auth: oauthAuth() }).recordCall('301', record());
    expect(portal.commands()[0]?.params.USER_ID).toBe('1');
  });

  it.each([
    [{ outcome: 'machine' }, 'OTHER', 'автоответчик'],
    [{ outcome: 'nodial', failureCode: 486 }, '486', 'нет ответа (код 486)'],
    [{ outcome: 'nodial', failureCode: 480 }, '480', 'нет ответа (код 480)'],
    [{ outcome: 'nodial', failureCode: 408 }, '304', 'нет ответа (код 408)'],
    [{ outcome: 'nodial' }, '304', 'нет ответа'],
    [{ outcome: 'invalid', failureCode: 404 }, '404', 'номер не существует (код 404)'],
    [{ outcome: 'invalid', failureCode: 484 }, '484', 'номер не существует (код 484)'],
    [{ outcome: 'invalid', failureCode: 500 }, '404', 'номер не существует (код 500)'],
    [{ outcome: 'unknown' }, 'OTHER', 'результат неизвестен'],
    // Issue 14, point 12 (b): picked up, but the message did not play — not a conversation.
    [{ outcome: 'unheard' }, 'OTHER', 'ответили, но сообщение не проигралось'],
  ] as const)(
    'finishes %o with STATUS_CODE %s and its reason, without a record',
    async (outcome, code, reason) => {
      telephonyOk();
      const crm = createBitrix24Crm({ auth: oauthAuth() });
      await crm.recordCall('301', record({ ...outcome, durationSec: 0 }));
      const commands = portal.commands();
      expect(commands.map((c) => c.method)).toEqual([
        'telephony.externalcall.register',
        'telephony.externalcall.finish',
      ]);
      expect(commands[1]?.params).toMatchObject({ STATUS_CODE: code, FAILED_REASON: reason, DURATION: '0' });
    },
  );

  it('treats a repeat that the portal answered with the already finished call as done', async () => {
    portal.reply(({ commands }) => ({
      result: { [commands[0]?.id ?? '']: { CALL_ID: 'x' } },
      errors: {
        [commands[1]?.id ?? '']: {
          error: 'ERROR_CORE',
          error_description: 'Call is not found (call should be registered prior to finishing)',
        },
      },
    }));
    const crm = createBitrix24Crm({ auth: oauthAuth() });
    await expect(crm.recordCall('301', record())).resolves.toBeUndefined();
  });

  it('fails with the portal error of the register that failed', async () => {
    portal.reply(({ commands }) => ({
      errors: {
        [commands[0]?.id ?? '']: {
          error: 'ERROR_CORE',
          error_description: 'User is not found or is not active.',
        },
        [commands[1]?.id ?? '']: {
          error: 'ERROR_CORE',
          error_description: 'Call is not found (call should be registered prior to finishing)',
        },
      },
    }));
    const crm = createBitrix24Crm({ auth: oauthAuth() });
    await expect(crm.recordCall('301', record())).rejects.toThrow(
      new PermanentError('Bitrix24 ERROR_CORE: User is not found or is not active.'),
    );
  });

  it('fails with the portal error of the finish or the record that failed', async () => {
    portal.reply(({ commands }) => ({
      result: { [commands[0]?.id ?? '']: { CALL_ID: 'x' }, [commands[2]?.id ?? '']: { FILE_ID: 1 } },
      errors: {
        [commands[1]?.id ?? '']: { error: 'ERROR_CORE', error_description: 'Unexpected database error' },
      },
    }));
    const crm = createBitrix24Crm({ auth: oauthAuth() });
    await expect(
      crm.recordCall('301', record({ recordingUrl: 'https://rec.example/c.mp3' })),
    ).rejects.toThrow(new PermanentError('Bitrix24 ERROR_CORE: Unexpected database error'));
    portal.reply(({ commands }) => ({
      result: { [commands[0]?.id ?? '']: { CALL_ID: 'x' }, [commands[1]?.id ?? '']: { ID: 1 } },
      errors: {
        [commands[2]?.id ?? '']: {
          error: 'ERROR_CORE',
          error_description: 'Wrong file extension. Only wav and mp3 are allowed',
        },
      },
    }));
    await expect(
      crm.recordCall('301', record({ recordingUrl: 'https://rec.example/c.ogg' })),
    ).rejects.toThrow(/Wrong file extension/);
  });

  it('keeps a finish error that is not about an already finished call', async () => {
    portal.reply(({ commands }) => ({
      result: { [commands[0]?.id ?? '']: { CALL_ID: 'x' } },
      errors: {
        [commands[1]?.id ?? '']: { error: 'INVALID_ARGUMENT', error_description: 'CALL_ID must be a string' },
      },
    }));
    const crm = createBitrix24Crm({ auth: oauthAuth() });
    const error = await crm.recordCall('301', record()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe('Bitrix24 INVALID_ARGUMENT: CALL_ID must be a string');
  });
});

describe('recordCall with a webhook: a timeline comment', () => {
  it('writes the call as a comment with outcome, duration, code, record and key marker', async () => {
    portal.reply(({ commands }) => ({ result: { [commands[0]?.id ?? '']: 999 } }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    await crm.recordCall(
      '301',
      record({
        outcome: 'nodial',
        failureCode: 486,
        durationSec: 0,
        recordingUrl: 'https://rec.example/b.mp3',
      }),
    );
    expect(portal.commands()).toEqual([
      {
        id: expect.any(String),
        method: 'crm.timeline.comment.add',
        params: {
          fields: {
            ENTITY_ID: '301',
            ENTITY_TYPE: 'lead',
            COMMENT: [
              'Звонок Prozvon, попытка 2: нет ответа',
              'Номер: +79161234567',
              'Начало: 2026-11-25T09:31:00.000Z, длительность 0 с',
              'Код оператора: 486',
              'Запись: https://rec.example/b.mp3',
              '[prozvon:lead:42:call:2]',
            ].join('\n'),
          },
        },
      },
    ]);
  });
});

describe('markNoAnswer', () => {
  /** The in-progress look-up answers `found`; the other commands answer `rest` or succeed. */
  const answer = (
    found: unknown[],
    rest: Record<number, { error: string; error_description: string }> = {},
  ) =>
    portal.reply(({ commands }) => ({
      result: Object.fromEntries(
        commands.flatMap((c, index) => (index in rest ? [] : [[c.id, index === 0 ? found : true]])),
      ),
      errors: Object.fromEntries(
        Object.entries(rest).map(([index, error]) => [commands[Number(index)]?.id ?? '', error]),
      ),
    }));

  it('moves a lead in progress to the configured stage and adds a note, in one request', async () => {
    answer([{ ID: '301' }]);
    const crm = createBitrix24Crm({ auth: hookAuth, calls: { noAnswerStatusId: 'PZ_NOANSWER' } });
    await crm.markNoAnswer('301', record({ outcome: 'nodial' }));
    expect(portal.sent).toHaveLength(1);
    const [lookup, update, note] = portal.commands();
    expect(lookup).toMatchObject({
      method: 'crm.lead.list',
      params: { filter: { '=ID': '301', '=STATUS_SEMANTIC_ID': 'P' }, select: ['ID'], start: '-1' },
    });
    expect(update).toEqual({
      id: expect.any(String),
      method: 'crm.lead.update',
      params: {
        id: `$result[${lookup?.id}][0][ID]`,
        fields: { STATUS_ID: 'PZ_NOANSWER', STATUS_DESCRIPTION: 'Нет ответа, попытка 2' },
        params: { REGISTER_SONET_EVENT: 'N' },
      },
    });
    expect(note).toEqual({
      id: expect.any(String),
      method: 'crm.timeline.comment.add',
      params: {
        fields: {
          ENTITY_ID: '301',
          ENTITY_TYPE: 'lead',
          COMMENT: 'Нет ответа (попытка 2, +79161234567). [prozvon:lead:42:call:2]',
        },
      },
    });
  });

  it('leaves the stage of a lead a seller has closed meanwhile, and still adds the note', async () => {
    answer([], { 1: { error: '', error_description: 'ID is not defined or invalid.' } });
    const crm = createBitrix24Crm({ auth: hookAuth });
    await expect(crm.markNoAnswer('301', record({ outcome: 'nodial' }))).resolves.toBeUndefined();
  });

  it('fails when the update of a lead in progress fails', async () => {
    answer([{ ID: '301' }], { 1: { error: '', error_description: 'Access denied.' } });
    const crm = createBitrix24Crm({ auth: hookAuth });
    await expect(crm.markNoAnswer('301', record({ outcome: 'nodial' }))).rejects.toThrow(
      new PermanentError('Bitrix24: Access denied.'),
    );
  });

  it('fails when the look-up or the note fails', async () => {
    const crm = createBitrix24Crm({ auth: hookAuth });
    answer([], { 0: { error: 'INVALID_ARG_VALUE', error_description: 'bad filter' } });
    await expect(crm.markNoAnswer('301', record({ outcome: 'nodial' }))).rejects.toThrow(/bad filter/);
    answer([], { 2: { error: 'OWNER_NOT_FOUND', error_description: 'Owner element is not found' } });
    await expect(crm.markNoAnswer('301', record({ outcome: 'nodial' }))).rejects.toThrow(/OWNER_NOT_FOUND/);
  });
});
