import { describe, expect, it } from 'vitest';
import { renderStatePage } from '../../src/core/state-page.js';

describe('renderStatePage', () => {
  it('escapes every value, heading and title', () => {
    const html = renderStatePage('<b>Sim</b>', [
      { heading: 'SMS <i>', rows: [{ '<k>': '<script>alert(1)</script>', nested: { x: '"</td>' } }] },
    ]);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Sim');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<k>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&lt;/td&gt;');
  });

  it('shows rows newest first, with the union of their columns', () => {
    const html = renderStatePage('Sim', [
      { heading: 'messages', rows: [{ n: 'first' }, { n: 'second', extra: 1 }] },
    ]);
    expect(html.indexOf('second')).toBeLessThan(html.indexOf('first'));
    expect(html).toContain('<th>extra</th>');
    expect(html).toContain('messages (2)');
  });

  it('says when a section is empty', () => {
    expect(renderStatePage('Sim', [{ heading: 'calls', rows: [] }])).toContain('nothing yet');
  });

  it('does not reorder the caller’s array', () => {
    const rows = [{ n: 1 }, { n: 2 }];
    renderStatePage('Sim', [{ heading: 'h', rows }]);
    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
