import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/ports/index.js';
import { capturedLogs, customer, startEngine } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
});

describe('engine logs', () => {
  it('are JSON lines naming the lead and tenant, with phones masked', async () => {
    const { lines, logger } = capturedLogs();
    h = await startEngine({ logger });
    h.answerCalls('nodial');
    h.crm.fail('createLead', new AuthError('token revoked'));
    await h.engine.submitLead(customer);
    await h.settle();
    expect(lines.length).toBeGreaterThan(3);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      expect(record).toHaveProperty('leadId');
      expect(record).toHaveProperty('tenantId', 'default');
    }
    expect(records.find((record) => record.msg === 'lead accepted')).toMatchObject({
      phone: '+7916***4567',
      crmState: 'crm.creating',
      callState: 'call.dialing',
    });
    expect(records.some((record) => record.msg === 'lead moved' && record.crmState === 'crm.manual')).toBe(
      true,
    );
    expect(lines.join('\n')).not.toMatch(/9161234567|123-45-67/);
  });

  it('never print a secret, wherever it sits in the object logged', () => {
    const { lines, logger } = capturedLogs();
    logger.info(
      { config: { token: 'bot123:SECRET', password: 'hunter2' }, secret: 'x', apiKey: 'k' },
      'wiring',
    );
    expect(lines.join('\n')).not.toMatch(/SECRET|hunter2|"x"|"k"/);
    expect(lines[0]).toContain('[redacted]');
  });
});
