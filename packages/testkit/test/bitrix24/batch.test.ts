import { describe, expect, it } from 'vitest';
import { post, startSim } from './helpers.js';

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('batch (BITRIX24.md §7)', () => {
  it('runs commands in order with $result references on decoded values', async () => {
    const sim = await startSim();
    const { status, body } = await post(sim.webhookUrl(), 'batch', {
      halt: 1,
      cmd: {
        add: `crm.lead.add?${q({ 'fields[TITLE]': 'T', 'fields[PHONE][0][VALUE]': '+79161234567' })}`,
        get: `crm.lead.get?${q({ id: '$result[add]' })}`,
        find: `crm.lead.list?${q({ 'filter[ID]': '$result[add]', 'select[0]': 'ID' })}`,
        note: `crm.timeline.comment.add?${q({
          'fields[ENTITY_ID]': '$result[find][0][ID]',
          'fields[ENTITY_TYPE]': 'lead',
          'fields[COMMENT]': 'Lead $result[get][TITLE] created',
        })}`,
      },
    });
    expect(status).toBe(200);
    expect(body.result.result.add).toBe(1);
    expect(body.result.result.get.PHONE[0].VALUE).toBe('+79161234567');
    expect(body.result.result.find).toEqual([{ ID: '1' }]);
    expect(body.result.result_error).toEqual([]);
    expect(body.result.result_total).toEqual({ find: 1 });
    expect(body.result.result_next).toEqual([]);
    expect(Object.keys(body.result.result_time)).toEqual(['add', 'get', 'find', 'note']);
    expect(body.result.result_time.add).not.toHaveProperty('operating');
    expect(sim.state.comments()[0]?.comment).toBe('Lead T created');
  });

  it('reports failures with HTTP 200; halt stops at the first one', async () => {
    const sim = await startSim();
    const cmd = { a: 'crm.lead.get?id=5', b: 'crm.lead.add?fields[TITLE]=after' };
    const go = await post(sim.webhookUrl(), 'batch', { halt: 0, cmd });
    expect(go.status).toBe(200);
    expect(go.body.result.result_error).toEqual({ a: { error: '', error_description: 'Not found' } });
    expect(go.body.result.result).toEqual({ b: 1 });
    const halted = await post(sim.webhookUrl(), 'batch', { halt: 1, cmd });
    expect(halted.body.result.result).toEqual([]);
    expect(sim.state.leads()).toHaveLength(1);
  });

  it('takes a list of commands and answers lists', async () => {
    const sim = await startSim();
    const { body } = await post(sim.webhookUrl(), 'batch', {
      cmd: ['crm.lead.add?fields[TITLE]=a', 'profile'],
    });
    expect(body.result.result).toEqual([1, expect.objectContaining({ ID: '1' })]);
  });

  it('refuses more than 50 commands and a nested batch', async () => {
    const sim = await startSim();
    const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'profile']));
    const tooMany = await post(sim.webhookUrl(), 'batch', { cmd });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
    const nested = await post(sim.webhookUrl(), 'batch', { cmd: { x: 'batch?cmd[y]=profile' } });
    expect(nested.body.result.result_error.x.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
  });

  it('applies the app-only rule to commands inside a batch', async () => {
    const sim = await startSim();
    const { body } = await post(sim.webhookUrl(), 'batch', {
      cmd: { call: 'telephony.externalcall.register?USER_ID=1&PHONE_NUMBER=79161234567&TYPE=1' },
    });
    expect(body.result.result_error.call.error).toBe('WRONG_AUTH_TYPE');
  });
});
