import { afterEach, describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../src/config/index.js';
import type { Tenant, TenantRegistry } from '../../src/engine/index.js';
import { settle } from '../../src/testing/index.js';
import {
  customer,
  DAYTIME,
  MINUTE,
  NIGHT,
  phoneOf,
  type RecordingPorts,
  recordingTenant,
  startEngine,
} from './harness.js';

// Many shops in one engine (issue 13): every call names its tenant and never reaches another's
// lead; a suspended or removed tenant never throws inside the engine; each lane caps each tenant.

/** A registry a test can edit: add, suspend, remove tenants as the Bitrix24 app would. */
class EditableTenants implements TenantRegistry {
  readonly tenants = new Map<string, Tenant>();
  async get(tenantId: string): Promise<Tenant | null> {
    return this.tenants.get(tenantId) ?? null;
  }
  add(id: string, config = {}): Tenant {
    const tenant = recordingTenant(id, config);
    this.tenants.set(id, tenant);
    return tenant;
  }
  set(id: string, change: Partial<Tenant>): void {
    const tenant = this.tenants.get(id);
    if (tenant) this.tenants.set(id, { ...tenant, ...change });
  }
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** The harness's engine on a memory store, its registry replaced by one the test edits. */
async function start(at = DAYTIME, options = {}) {
  const registry = new EditableTenants();
  const { clock, store, engine } = await startEngine({
    at,
    store: 'memory',
    engine: options,
    registry: () => registry,
  });
  stop = () => engine.stop();
  return { clock, store, registry, engine };
}

const ports = (tenant: Tenant) => tenant.ports as RecordingPorts;

describe('one engine, many tenants', () => {
  it("a result signed with portal A's key never moves portal B's lead", async () => {
    const { registry, engine, store } = await start();
    registry.add('portal-a');
    const b = registry.add('portal-b');
    const { leadId } = await engine.submitLead(customer, 'portal-b');
    await settle();
    const [call] = ports(b).voice.started;
    if (!call) throw new Error('no call');
    const answered = {
      type: 'CALL_RESULT',
      at: DAYTIME,
      attempt: 1,
      report: { key: call.key, outcome: 'answered', durationSec: 5 },
    } as const;
    expect(await engine.deliver('portal-a', leadId, answered)).toEqual({ outcome: 'unknown_lead' });
    // Nor does one signed for a tenant the engine does not know.
    expect(await engine.deliver('portal-z', leadId, answered)).toEqual({ outcome: 'unknown_lead' });
    expect((await store.getLead(leadId))?.callState).toBe('call.awaitingResult');
    expect(await engine.getLead('portal-a', leadId)).toBeNull();
    expect(await engine.retryCrm('portal-a', leadId, 'admin')).toEqual({ outcome: 'unknown_lead' });
    expect(await engine.cancelCalls('portal-a', leadId, 'admin')).toEqual({ outcome: 'unknown_lead' });
    expect((await engine.getLead('portal-b', leadId))?.callState).toBe('call.awaitingResult');
  });

  it('a suspended tenant: its due leads are parked with the reason, and go on once it is active again', async () => {
    const { registry, engine, clock, store } = await start(NIGHT);
    const shop = registry.add('shop');
    const { leadId } = await engine.submitLead(customer, 'shop');
    registry.set('shop', { status: 'suspended', statusReason: 'token revoked' });
    await clock.advance(13 * 60 * MINUTE); // the morning window opens while it is suspended
    expect(ports(shop).voice.started).toEqual([]);
    const audit = await store.getAudit(leadId);
    expect(
      audit.some(
        (entry) => entry.type === 'parked' && JSON.stringify(entry.detail).includes('token revoked'),
      ),
    ).toBe(true);
    registry.set('shop', { status: 'active' });
    await clock.advance(20 * MINUTE);
    expect(ports(shop).voice.started).toHaveLength(1);
  });

  it('an unknown tenant never throws inside the engine: its leads are parked, other tenants go on', async () => {
    const { registry, engine, clock, store } = await start(NIGHT);
    registry.add('gone');
    const other = registry.add('other');
    const gone = await engine.submitLead(customer, 'gone');
    await engine.submitLead(customer, 'other');
    registry.tenants.delete('gone');
    await clock.advance(13 * 60 * MINUTE);
    expect(ports(other).voice.started.length).toBeGreaterThan(0);
    expect((await store.getLead(gone.leadId))?.callState).toBe('call.night');
    expect((await store.getAudit(gone.leadId)).some((entry) => entry.type === 'parked')).toBe(true);
  });

  it('a tenant removed for good (the app uninstalled): its waiting leads are cancelled, no call, no SMS', async () => {
    const { registry, engine, clock, store } = await start(NIGHT);
    const shop = registry.add('shop');
    const { leadId } = await engine.submitLead(customer, 'shop');
    await settle();
    const nightSms = ports(shop).sms.sent.length;
    registry.set('shop', { status: 'removed', statusReason: 'app uninstalled' });
    await clock.advance(13 * 60 * MINUTE);
    expect(ports(shop).voice.started).toEqual([]);
    expect(ports(shop).sms.sent).toHaveLength(nightSms);
    const lead = await store.getLead(leadId);
    expect([lead?.callState, lead?.finished]).toEqual(['call.manual', true]);
    expect((await store.getEffects(leadId)).filter((effect) => effect.status === 'pending')).toEqual([]);
    await expect(engine.submitLead(customer, 'shop')).rejects.toThrow(/removed/);
  });

  it('an edit of a tenant’s settings takes effect at its next decision', async () => {
    const { registry, engine, clock } = await start();
    const shop = registry.add('shop');
    await engine.submitLead(customer, 'shop');
    await settle();
    const [call] = ports(shop).voice.started;
    if (!call) throw new Error('no call');
    registry.set('shop', { config: tenantConfigSchema.parse({ sms: { answered: 'Новый текст, {name}.' } }) });
    await engine.deliver('shop', call.leadId, {
      type: 'CALL_RESULT',
      at: clock.now(),
      attempt: 1,
      report: { key: call.key, outcome: 'answered', durationSec: 5 },
    });
    await settle();
    expect(ports(shop).sms.sent.map((sms) => sms.text)).toEqual(['Новый текст, Анна.']);
  });

  it("fairness: one tenant's hanging CRM does not delay another tenant's CRM writes", async () => {
    const { registry, engine } = await start(DAYTIME, {
      maxEffectsInFlight: 16,
      maxEffectsPerTenant: 4,
      stopTimeoutMs: 50,
    });
    const slow = registry.add('slow');
    const fast = registry.add('fast');
    ports(slow).crm.hang('createLead', 100);
    for (let i = 0; i < 30; i++)
      await engine.submitLead({ ...customer, name: `Slow ${i}`, phone: phoneOf(i) }, 'slow');
    for (let i = 0; i < 5; i++)
      await engine.submitLead({ ...customer, name: `Fast ${i}`, phone: phoneOf(i) }, 'fast');
    await settle();
    expect(ports(fast).crm.leads.size).toBe(5);
  });
});
