import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatSettingsError, parseSettings, SettingsError } from '../../src/index.js';

const schema = z.object({
  auth: z.discriminatedUnion('type', [
    z.object({ type: z.literal('webhook'), url: z.url() }),
    z.object({ type: z.literal('oauth'), clientId: z.string().min(1) }),
  ]),
  chatId: z.union([z.number().int(), z.string().regex(/^@\w+$/, 'expected @channelname')]),
  countries: z.array(z.string().length(2)),
  password: z.string().min(8),
});

const thrown = (input: unknown, at?: string): SettingsError => {
  try {
    parseSettings(schema, input, '@prozvon/example', at);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
};

describe('parseSettings', () => {
  it('gives back the parsed settings', () => {
    const good = {
      auth: { type: 'oauth', clientId: 'c' },
      chatId: 5,
      countries: ['RU'],
      password: '12345678',
    };
    expect(parseSettings(schema, good, '@prozvon/example')).toEqual(good);
  });

  it('throws one line per bad field, each naming the package and the field', () => {
    const error = thrown({
      auth: { type: 'webhook', url: 'nope' },
      chatId: 1.5,
      countries: ['RU', 'XXX'],
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message.split('\n')).toEqual([
      '@prozvon/example: auth.url: Invalid URL',
      '@prozvon/example: chatId: expected int or string',
      '@prozvon/example: countries[1]: Too big: expected string to have exactly 2 characters',
      '@prozvon/example: password: required (expected string)',
    ]);
    expect(error.issues.map((issue) => issue.field)).toEqual([
      'auth.url',
      'chatId',
      'countries[1]',
      'password',
    ]);
    expect(error.source).toBe('@prozvon/example');
  });

  it('names a wrong discriminator with the values it takes', () => {
    expect(thrown({ auth: { type: 'basic' }, chatId: 1, countries: [], password: '12345678' }).message).toBe(
      "@prozvon/example: auth.type: Invalid discriminator value. Expected 'webhook' | 'oauth'",
    );
  });

  it('never shows a value, and says where the settings sit when asked', () => {
    const error = thrown(
      { auth: { type: 'oauth', clientId: 'c' }, chatId: 1, countries: [], password: 'hunter2' },
      'config',
    );
    expect(error.message).toBe(
      '@prozvon/example: config.password: Too small: expected string to have >=8 characters',
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('names the settings themselves when they are not an object', () => {
    expect(thrown(undefined).message).toBe('@prozvon/example: (settings): required (expected object)');
  });

  it('formats a ZodError the caller already has', () => {
    const parsed = z.object({ a: z.number() }).safeParse({ a: 'x' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      expect(formatSettingsError('@prozvon/example', parsed.error).message).toBe(
        '@prozvon/example: a: expected number, received string',
      );
    }
  });
});
