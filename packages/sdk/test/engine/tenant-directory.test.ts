import { setImmediate as turn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Tenant, TenantRegistry } from '../../src/engine/index.js';
import { TenantDirectory } from '../../src/engine/tenant-directory.js';
import { recordingTenant } from './harness.js';

// The engine's directory of tenants must not keep what the registry lets go: the Bitrix24 app's
// registry drops an idle portal's adapters, and a directory holding the tenant kept every
// portal's adapter set for the life of the process (the app's RSS with 1,000 portals).

class Registry implements TenantRegistry {
  readonly tenants = new Map<string, Tenant>();
  async get(tenantId: string): Promise<Tenant | null> {
    return this.tenants.get(tenantId) ?? null;
  }
}

/** A full collection, from a test (V8's own `gc`, exposed for this process). */
async function collect(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // A WeakRef's target lives until the end of the job that made or read it.
  await turn();
  gc();
  await turn();
}

describe('TenantDirectory', () => {
  it('keeps a tenant’s cap of calls, not the tenant: one the registry let go is collected', async () => {
    const registry = new Registry();
    const directory = new TenantDirectory(registry);
    let tenant: Tenant | undefined = recordingTenant('shop', { maxCallsInFlight: 3 });
    registry.tenants.set('shop', tenant);
    const held = new WeakRef(tenant);
    await directory.lookup('shop');
    tenant = undefined;
    registry.tenants.delete('shop'); // the registry evicted it as idle
    await collect();
    expect(held.deref()).toBeUndefined();
    expect(directory.callCap('shop')).toBe(3);
  });

  it('remembers a bounded number of tenants, the most recently looked up', async () => {
    const registry = new Registry();
    const directory = new TenantDirectory(registry, 3);
    for (let i = 0; i < 10; i++) {
      registry.tenants.set(`shop${i}`, recordingTenant(`shop${i}`, { maxCallsInFlight: i + 1 }));
      await directory.lookup(`shop${i}`);
    }
    await directory.lookup('shop7');
    expect(directory.size).toBe(3);
    expect([...directory.known()]).toEqual(['shop8', 'shop9', 'shop7']);
    expect(directory.callCap('shop9')).toBe(10);
    expect(directory.callCap('shop0')).toBeUndefined();
  });

  it('forgets a tenant the registry no longer knows', async () => {
    const registry = new Registry();
    const directory = new TenantDirectory(registry);
    registry.tenants.set('shop', recordingTenant('shop'));
    await directory.lookup('shop');
    registry.tenants.delete('shop');
    expect(await directory.lookup('shop')).toBeNull();
    expect(directory.callCap('shop')).toBeUndefined();
  });

  it('gives every remembered cap as one object, the same until a tenant comes, goes or changes', async () => {
    const registry = new Registry();
    const directory = new TenantDirectory(registry, 2);
    registry.tenants.set('a', recordingTenant('a', { maxCallsInFlight: 3 }));
    registry.tenants.set('b', recordingTenant('b', { maxCallsInFlight: 5 }));
    registry.tenants.set('c', recordingTenant('c', { maxCallsInFlight: 7 }));
    await directory.lookup('a');
    await directory.lookup('b');
    const caps = directory.callCaps();
    expect(caps).toEqual({ a: 3, b: 5 });
    await directory.lookup('a'); // looked up again, unchanged: the same object
    expect(directory.callCaps()).toBe(caps);
    registry.tenants.set('a', recordingTenant('a', { maxCallsInFlight: 4 }));
    await directory.lookup('a');
    expect(directory.callCaps()).toEqual({ a: 4, b: 5 });
    await directory.lookup('c'); // over the bound: the least recently looked up (b) is forgotten
    expect(directory.callCaps()).toEqual({ a: 4, c: 7 });
    registry.tenants.delete('c');
    await directory.lookup('c');
    expect(directory.callCaps()).toEqual({ a: 4 });
  });
});
