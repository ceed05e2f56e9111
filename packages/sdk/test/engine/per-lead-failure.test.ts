import { afterEach, describe, expect, it } from 'vitest';
import {
  createProzvon,
  createProzvonHost,
  type Logger,
  type ProzvonHost,
  SettingsError,
  StaticTenants,
  silentLogger,
  type Tenant,
  type TenantConfig,
  tenantConfigSchema,
} from '../../src/index.js';
import { frontDefaults, recordingPorts } from './harness.js';

let host: ProzvonHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

/** A logger that keeps what `intake failed` and the like were logged with. */
function keptLogger(): { logger: Logger; errors: { err?: unknown; msg?: string }[] } {
  const errors: { err?: unknown; msg?: string }[] = [];
  const logger = silentLogger();
  const error = logger.error.bind(logger);
  logger.error = ((object: { err?: unknown }, msg?: string) => {
    errors.push({ ...object, msg });
    return error(object, msg);
  }) as Logger['error'];
  return { logger, errors };
}

const SECRET = 'the-shop-server-intake-secret';
const post = (phone: string, ref: string) =>
  new Request('http://shop.test/leads', {
    method: 'POST',
    body: JSON.stringify({ name: 'Анна', phone, ref }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
  });

describe('countries in the config', () => {
  // Before: accepted, and then every lead answered 503.
  it.each([
    [{ defaultCountry: 'ZZ' }, 'config.phone.defaultCountry'],
    [{ allowedCountries: ['RU', 'XX'] }, 'config.phone.allowedCountries[1]'],
  ])('refuses %j at createProzvon, naming %s', (phone, field) => {
    const create = () =>
      createProzvon({ ...frontDefaults(), ...recordingPorts(), config: { phone: phone as never } });
    expect(create).toThrow(SettingsError);
    expect(create).toThrow(
      new RegExp(`^@prozvon/sdk: ${field.replace(/[[\]]/g, '\\$&')}: .* is not a country`),
    );
  });

  it('takes ISO codes libphonenumber knows, in either case', () => {
    const config = tenantConfigSchema.parse({
      phone: { defaultCountry: 'kz', allowedCountries: ['KZ', 'by'] },
    });
    expect(config.phone).toEqual({ defaultCountry: 'KZ', allowedCountries: ['KZ', 'BY'] });
  });
});

describe('a lead the engine cannot decide', () => {
  // A config that skipped validation (a registry's own store, a cast): the lead machine throws
  // while deciding. Before: a TypeError from isFinished, answered 503 "retry in 5 s" to every lead.
  it('answers that lead alone with a 500 naming the cause in the log, and the next lead is taken', async () => {
    const good = tenantConfigSchema.parse({});
    const broken = { ...good, hours: { ...good.hours, week: undefined } } as unknown as TenantConfig;
    const tenants: Tenant[] = [
      { id: 'broken', config: broken, ports: recordingPorts() },
      { id: 'good', config: good, ports: recordingPorts() },
    ];
    const { logger, errors } = keptLogger();
    host = createProzvonHost({ ...frontDefaults(), tenants: new StaticTenants(tenants), logger });
    await host.start();

    const failed = await host.intakeHandler('broken', { secret: SECRET })(post('89161234567', 'a'));
    expect(failed.status).toBe(500);
    expect(failed.headers.get('retry-after')).toBeNull();
    expect(await failed.json()).toEqual({ error: 'lead_failed' });
    const logged = errors.find((entry) => entry.msg === 'lead could not be decided');
    expect(logged?.err).toMatchObject({ name: 'LeadDecisionError', code: 'lead_not_decided' });
    expect(String((logged?.err as Error | undefined)?.cause)).toMatch(/TypeError/);

    const next = await host.intakeHandler('good', { secret: SECRET })(post('89161234568', 'b'));
    expect(next.status).toBe(202);
  });
});
