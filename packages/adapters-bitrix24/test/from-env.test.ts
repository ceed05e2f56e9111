import { describe, expect, it } from 'vitest';
import { bitrix24FromEnv, createBitrix24Crm } from '../src/index.js';

describe('bitrix24FromEnv', () => {
  it('makes webhook settings the adapter takes', () => {
    const settings = bitrix24FromEnv({ BITRIX24_WEBHOOK_URL: 'https://shop.bitrix24.ru/rest/1/abc/' });
    expect(settings).toEqual({ auth: { type: 'webhook', url: 'https://shop.bitrix24.ru/rest/1/abc/' } });
    expect(() => createBitrix24Crm(settings)).not.toThrow();
  });

  it('names the missing variable', () => {
    expect(() => bitrix24FromEnv({})).toThrow('@prozvon/adapters-bitrix24: BITRIX24_WEBHOOK_URL: not set');
  });
});
