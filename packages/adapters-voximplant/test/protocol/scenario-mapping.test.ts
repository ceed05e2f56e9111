import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  AMD_RESULT_CLASSES,
  CALL_HEADER,
  PROTOCOL_VERSION,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../../src/protocol/index.js';
import { outcomeForAmd, outcomeForFailureCode } from '../../src/protocol/outcome.js';
import { scenarioSource } from '../helpers/scenario-source.js';

// The scenario cannot import the protocol module, so it carries a copy of the mapping and the
// header names. Load it with inert globals (nothing starts without AppEvents.Started) and compare.
function loadScenario() {
  const context = vm.createContext({
    VoxEngine: { addEventListener: () => {} },
    AppEvents: { Started: 'Started' },
  });
  vm.runInContext(
    `${scenarioSource}
;globalThis.__exports = { outcomeForFailureCode, outcomeForAmd, asciiJson, PROTOCOL_VERSION, CALL_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER };`,
    context,
  );
  return context.__exports as {
    outcomeForFailureCode(code: number): string;
    outcomeForAmd(resultClass: string): string;
    asciiJson(text: string): string;
    PROTOCOL_VERSION: number;
    CALL_HEADER: string;
    TIMESTAMP_HEADER: string;
    SIGNATURE_HEADER: string;
  };
}

describe("the scenario's copy of the protocol", () => {
  const scenario = loadScenario();

  it('maps every SIP code 100–699 as src/protocol/outcome.ts does', () => {
    const differences = [];
    for (let code = 100; code < 700; code++)
      if (scenario.outcomeForFailureCode(code) !== outcomeForFailureCode(code)) differences.push(code);
    expect(differences).toEqual([]);
    expect(scenario.outcomeForFailureCode(404)).toBe('invalid');
    expect(scenario.outcomeForFailureCode(486)).toBe('nodial');
    expect(scenario.outcomeForFailureCode(402)).toBe('refused');
  });

  it('maps every AMD verdict as src/protocol/outcome.ts does', () => {
    for (const resultClass of AMD_RESULT_CLASSES)
      expect(scenario.outcomeForAmd(resultClass), resultClass).toBe(outcomeForAmd(resultClass));
  });

  it('signs ASCII that parses to the same JSON: Cyrillic, quotes, controls, emoji (issue 14, 12d)', () => {
    const value = { reason: 'Сеть «недоступна»\u007f — "x"\n😀', n: 1, nested: { ok: true } };
    const ascii = scenario.asciiJson(JSON.stringify(value));
    expect(ascii).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(ascii)).toEqual(value);
  });

  it('uses the same version and header names', () => {
    expect(scenario).toMatchObject({ PROTOCOL_VERSION, CALL_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER });
  });
});
