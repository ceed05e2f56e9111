import { describe, expect, it } from 'vitest';
import { restrictionParams } from '../../src/client.js';

describe('restrictionParams', () => {
  it("keeps the plan's drain rate and a tenth of its bucket free", () => {
    expect(restrictionParams('standard').rateLimit).toMatchObject({ burstLimit: 45, drainRate: 2 });
    expect(restrictionParams('enterprise').rateLimit).toMatchObject({ burstLimit: 225, drainRate: 5 });
  });

  it('never lets the SDK re-send a request whose fate is unknown', () => {
    const params = restrictionParams('standard');
    expect(params.retryOnNetworkError).toBe(false);
    expect(params.hardErrorCodes).toEqual(
      expect.arrayContaining(['ERR_BAD_RESPONSE', 'JSSDK_AXIOS_ERROR', 'ECONNRESET', 'ETIMEDOUT']),
    );
    // Limits are re-sent by the SDK: the portal did not run those requests.
    expect(params.hardErrorCodes).not.toContain('QUERY_LIMIT_EXCEEDED');
    expect(params.maxRetries).toBe(3);
  });
});
