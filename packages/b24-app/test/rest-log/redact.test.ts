import { describe, expect, it } from 'vitest';
import { MAX_TEXT, REDACTED, redactJson } from '../../src/rest-log/redact.js';

describe('redactJson: what the REST log stores', () => {
  it('blots out every value under a secret name, at any depth', () => {
    const text = redactJson({
      auth: 'access-token-0123456789',
      AUTH_ID: 'frame-auth-id-0123',
      fields: {
        TITLE: 'Заявка',
        client_secret: 'cs-1',
        nested: [{ refresh_token: 'rt-1', PASSWORD: 'p-1' }],
      },
      application_token: 'app-token-1',
      settings: { telegramBotToken: '123:abc', apiSecret: 's', auth: { access_token: 'a', domain: 'x' } },
    });
    expect(JSON.parse(text)).toEqual({
      auth: REDACTED,
      AUTH_ID: REDACTED,
      fields: {
        TITLE: 'Заявка',
        client_secret: REDACTED,
        nested: [{ refresh_token: REDACTED, PASSWORD: REDACTED }],
      },
      application_token: REDACTED,
      settings: { telegramBotToken: REDACTED, apiSecret: REDACTED, auth: REDACTED },
    });
  });

  it("blots out secret names inside a batch command's query, and leaves the rest as sent", () => {
    const text = redactJson({
      cmd: {
        c1: 'crm.lead.list?filter%5B%3DORIGIN_ID%5D=k-1&select%5B0%5D=ID',
        c2: 'event.bind?event=ONCRMLEADADD&handler=https%3A%2F%2Fapp%2Fevents&auth%5Bapplication_token%5D=xyz-secret-1',
        c3: 'app.option.set?options[refresh_token]=rt-secret-2&options[mode]=on',
      },
    });
    expect(text).toContain('crm.lead.list?filter%5B%3DORIGIN_ID%5D=k-1&select%5B0%5D=ID');
    expect(text).toContain('handler=https%3A%2F%2Fapp%2Fevents');
    expect(text).toContain(`auth%5Bapplication_token%5D=${REDACTED}`);
    expect(text).toContain(`options[refresh_token]=${REDACTED}&options[mode]=on`);
    expect(text).not.toContain('xyz-secret-1');
    expect(text).not.toContain('rt-secret-2');
  });

  it('blots out a known secret wherever it shows, whatever its key', () => {
    const token = 'the-access-token-42';
    const text = redactJson({ result: { echo: `Bearer ${token}`, list: [token] } }, [token]);
    expect(text).not.toContain(token);
    expect(JSON.parse(text)).toEqual({ result: { echo: `Bearer ${REDACTED}`, list: [REDACTED] } });
  });

  it('cuts a long answer, saying how much was left out, after redacting', () => {
    const token = 'x'.repeat(30);
    const text = redactJson({ result: 'a'.repeat(MAX_TEXT - 20) + token + 'b'.repeat(5_000) }, [token]);
    expect(text.length).toBeLessThan(MAX_TEXT + 40);
    expect(text).toMatch(/…\[\d+ more characters\]$/);
    expect(text).not.toContain(token);
  });
});
