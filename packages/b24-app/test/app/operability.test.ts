import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from './app-fixture.js';

const TOKEN = 'a-metrics-token-for-prometheus-0123';

describe('operability: /healthz and /metrics', () => {
  let fixture: AppFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('/healthz says the store answers and the scheduler runs, and 503 once the app stops', async () => {
    fixture = await startAppFixture();
    const base = fixture.config.publicUrl;
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      store: { ok: true },
      scheduler: { running: true },
    });
    await fixture.app.host.stop();
    const stopped = await fetch(`${base}/healthz`);
    expect(stopped.status).toBe(503);
  });

  it('/metrics is off without a token: 404, and nothing of the engine in the answer', async () => {
    fixture = await startAppFixture();
    const response = await fetch(`${fixture.config.publicUrl}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('prozvon_');
  });

  it('/metrics answers Prometheus with the token, and 401 with a wrong or missing one', async () => {
    fixture = await startAppFixture({ config: { metricsToken: TOKEN } });
    const url = `${fixture.config.publicUrl}/metrics`;
    for (const authorization of [undefined, 'Bearer not-the-token', `Basic ${TOKEN}`, TOKEN]) {
      const response = await fetch(url, authorization === undefined ? {} : { headers: { authorization } });
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
    }
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE prozvon_leads_unfinished gauge');
    expect(text).toContain('# TYPE prozvon_effects_total counter');
    expect(text).toContain('prozvon_process_resident_memory_bytes');
  });
});
