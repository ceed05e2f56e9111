import { describe, expect, it } from 'vitest';
import { ChatPacer } from '../src/pacer.js';

function pacer(intervalMs = 1_000) {
  const clock = { now: 0 };
  return {
    clock,
    pacer: new ChatPacer(
      () => intervalMs,
      () => clock.now,
    ),
  };
}

describe('ChatPacer', () => {
  it('lets the first message go at once and spaces the next ones by the interval', () => {
    const { pacer: p } = pacer();
    expect(p.take('1', 10_000)).toEqual({ waitMs: 0 });
    expect(p.take('1', 10_000)).toEqual({ waitMs: 1_000 });
    expect(p.take('1', 10_000)).toEqual({ waitMs: 2_000 });
  });

  it('keeps chats apart: a busy chat never delays another', () => {
    const { pacer: p } = pacer();
    p.take('1', 10_000);
    p.take('1', 10_000);
    expect(p.take('2', 10_000)).toEqual({ waitMs: 0 });
  });

  it('forgets a gap once time has passed', () => {
    const { pacer: p, clock } = pacer();
    p.take('1', 10_000);
    clock.now = 5_000;
    expect(p.take('1', 10_000)).toEqual({ waitMs: 0 });
  });

  it('refuses a turn further away than the caller will wait, and takes nothing', () => {
    const { pacer: p } = pacer();
    p.take('1', 10_000);
    p.take('1', 10_000);
    expect(p.take('1', 1_500)).toEqual({ busyForMs: 2_000 });
    expect(p.take('1', 2_000)).toEqual({ waitMs: 2_000 });
  });

  it('holds a chat until Telegram’s retry_after, never shortening a longer hold', () => {
    const { pacer: p } = pacer();
    p.holdUntil('1', 7_000);
    p.holdUntil('1', 3_000);
    expect(p.take('1', 10_000)).toEqual({ waitMs: 7_000 });
  });

  it('peeks at the next turn without taking it, and forgets the wait once time has passed', () => {
    const { pacer: p, clock } = pacer();
    expect(p.peek('1')).toBe(0);
    p.take('1', 10_000);
    expect(p.peek('1')).toBe(1_000);
    expect(p.peek('1')).toBe(1_000);
    clock.now += 400;
    expect(p.peek('1')).toBe(600);
    clock.now += 5_000;
    expect(p.peek('1')).toBe(0);
    expect(p.intervalOf('1')).toBe(1_000);
  });
});
