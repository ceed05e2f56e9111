import { createHash, createHmac, randomUUID } from 'node:crypto';
import vm from 'node:vm';
import type { HttpRecord, SessionRecord } from './session-record.js';
import {
  AMD_EVENTS,
  CALL_EVENTS,
  type CallHost,
  Listeners,
  VirtualCall,
  VirtualDetector,
} from './virtual-call.js';
import type { VirtualPhone } from './virtual-phone.js';
import { createVoiceList } from './voice-list.js';
import { AMD_MODEL } from './voxengine-lists.js';

export interface StandinOptions {
  /** The scenario's JavaScript source, run as VoxEngine would run it (a script, not a module). */
  readonly scenarioSource: string;
  readonly scenarioName?: string;
  /** What `VoxEngine.customData()` returns: StartScenarios' `script_custom_data`. */
  readonly customData: string;
  readonly sessionId: number;
  readonly accountId?: number;
  readonly applicationId?: number;
  /** The behaviour of the number the scenario dials. */
  readonly phoneFor: (number: string) => VirtualPhone;
  /** Real ms per virtual ms for every timer the scenario or a phone sets. Default 1. */
  readonly timeScale?: number;
  /** The session is ended as 'Timeout' after this many virtual ms. Default one hour. */
  readonly maxSessionMs?: number;
  /** URLs Net.httpRequestAsync may reach; default loopback only, so no test leaves the machine. */
  readonly allowUrl?: (url: URL) => boolean;
  /** The media-session URLs the simulator hands out, passed to AppEvents.Started. */
  readonly accessUrls?: { readonly http: string; readonly https: string };
  /**
   * How `Crypto.hmac_sha256(key, data)` turns its strings into bytes and writes the MAC out.
   * Voximplant documents neither (the function takes and returns "string"), so a test can run
   * the scenario under each reading. Default UTF-8 and lowercase hex.
   */
  readonly hmac?: { readonly text?: 'utf8' | 'latin1'; readonly output?: 'hex' | 'base64' };
}

export interface StandinSession {
  readonly record: SessionRecord;
  /** Resolves when the session has ended, however it ended. */
  readonly done: Promise<SessionRecord>;
  /** Fires AppEvents.HttpRequest, as a request to the media-session URL does. */
  httpRequest(request: { method: string; path: string; content: string }): void;
  /** Ends the session from outside ('Terminated administratively'). */
  kill(reason?: string): void;
}

const APP_EVENTS = {
  Started: 'Application.Started',
  Terminating: 'Application.Terminating',
  Terminated: 'Application.Terminated',
  HttpRequest: 'Application.HttpRequest',
} as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A stand-in for VoxEngine: runs a scenario in a fresh `node:vm` context whose globals are the
 * ones our scenario uses (VoxEngine, AppEvents, CallEvents, AMD, Net, Logger, Crypto, VoiceList,
 * timers), with a virtual phone at the other end of `callPSTN`. Limits follow VOXIMPLANT.md where
 * they matter to a scenario: listeners run asynchronously, nothing fires after terminate(), the
 * HTTP client resolves (never rejects) with negative codes for network failures. `AMD.Model` and
 * `VoiceList` are the official typings' own (voxengine-lists.ts): `AMD.create` throws on another
 * model, `say` speaks an unknown voice in the English default, as VoxEngine does.
 */
export function runScenario(options: StandinOptions): StandinSession {
  const scale = options.timeScale ?? 1;
  const allowUrl = options.allowUrl ?? ((url: URL) => LOOPBACK_HOSTS.has(url.hostname));
  const record: SessionRecord = {
    sessionId: options.sessionId,
    customData: options.customData,
    startedAt: Date.now(),
    endedAt: null,
    finishReason: null,
    calls: [],
    requests: [],
    log: [],
  };
  const timers = new Set<NodeJS.Timeout>();
  const app = new Listeners();
  const calls: VirtualCall[] = [];
  let ended = false;
  let terminating = false;
  /** Requests in flight: a terminating session waits for them (VoxEngine: up to 90 s). */
  const inFlight = new Set<Promise<unknown>>();
  let terminatingRequestUsed = false;
  let resolveDone: (record: SessionRecord) => void = () => {};
  const done = new Promise<SessionRecord>((resolve) => {
    resolveDone = resolve;
  });

  const after = (virtualMs: number, fn: () => void): NodeJS.Timeout => {
    const handle = setTimeout(
      () => {
        timers.delete(handle);
        if (!ended && !terminating) guarded(fn);
      },
      Math.max(0, virtualMs * scale),
    );
    timers.add(handle);
    return handle;
  };

  /** A throw from scenario code ends the session as VoxEngine does: 'JS session error'. */
  const guarded = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      record.log.push(`JS error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      finish('JS session error');
    }
  };

  const dispatch = (target: Listeners, event: Record<string, unknown>): void => {
    queueMicrotask(() => {
      if (ended || terminating) return;
      for (const listener of target.listeners(String(event.name))) guarded(() => listener(event));
    });
  };

  const finish = (reason: string): void => {
    if (ended) return;
    for (const call of calls) call.hangup();
    ended = true;
    record.finishReason = reason;
    record.endedAt = Date.now();
    for (const handle of timers) clearTimeout(handle);
    timers.clear();
    resolveDone(record);
  };

  const host: CallHost = {
    after: (ms, fn) => void after(ms, fn),
    dispatch,
    now: Date.now,
    virtualSec: (from, to) => Math.round((to - from) / scale / 1000),
    callEnded(call) {
      const phone = options.phoneFor(call.record.number);
      if (phone.loseSession) queueMicrotask(() => finish('Internal error'));
    },
  };

  /**
   * How VoxEngine ends a session, on terminate() or at a platform limit: no timer or call event
   * fires any more, Terminating runs (one more HTTP request allowed), requests in flight are
   * waited for, Terminated runs, and the session is gone. Code after terminate() still runs.
   */
  const endSession = (reason: string): void => {
    if (ended || terminating) return;
    terminating = true;
    for (const handle of timers) clearTimeout(handle);
    timers.clear();
    for (const listener of app.listeners(APP_EVENTS.Terminating))
      guarded(() => listener({ name: APP_EVENTS.Terminating }));
    void Promise.allSettled([...inFlight]).then(() => {
      for (const listener of app.listeners(APP_EVENTS.Terminated))
        guarded(() => listener({ name: APP_EVENTS.Terminated }));
      finish(reason);
    });
  };
  const terminate = (): void => endSession('Normal termination');

  const httpRequestAsync = async (url: string, init: HttpInit = {}): Promise<HttpAnswer> => {
    const method = String(init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { 'User-Agent': 'VoxEngine/1.0', ...stringHeaders(init.headers) };
    const body = init.postData === undefined ? null : String(init.postData);
    const entry: HttpRecord = { at: Date.now(), url, method, headers, body, code: 0, responseText: null };
    record.requests.push(entry);
    if (ended || (terminating && terminatingRequestUsed)) {
      entry.code = 0;
      return { code: 0, error: 'session terminated' };
    }
    if (terminating) terminatingRequestUsed = true;
    const pending = send(entry, url, method, headers, body, init);
    inFlight.add(pending);
    try {
      return await pending;
    } finally {
      inFlight.delete(pending);
    }
  };

  const send = async (
    entry: HttpRecord,
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | null,
    init: HttpInit,
  ): Promise<HttpAnswer> => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      entry.code = -2;
      return { code: -2, error: 'Malformed URL' };
    }
    if (!allowUrl(target)) {
      entry.code = -3;
      return { code: -3, error: 'Host not found' };
    }
    try {
      const response = await fetch(target, {
        method,
        headers,
        ...(body !== null && method !== 'GET' ? { body } : {}),
        signal: AbortSignal.timeout(Math.min(90, Number(init.timeout ?? 90)) * 1000),
      });
      const text = await response.text();
      entry.code = response.status;
      entry.responseText = text;
      const responseHeaders = [...response.headers].map(([key, value]) => ({ key, value }));
      return { code: response.status, text, headers: responseHeaders };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      entry.code = timedOut ? -7 : -4;
      return { code: entry.code, error: timedOut ? 'Timeout' : 'Connection error' };
    }
  };

  const voxEngine = {
    addEventListener: (name: string, fn: (event: Record<string, unknown>) => void) =>
      app.addEventListener(name, fn),
    removeEventListener: (name: string, fn?: (event: Record<string, unknown>) => void) =>
      app.removeEventListener(name, fn),
    customData: () => options.customData,
    terminate,
    callPSTN(number: unknown, callerId: unknown, parameters: { amd?: unknown } = {}) {
      if (typeof number !== 'string' || !/^\d{3,15}$/.test(number))
        throw new TypeError(`callPSTN: number must be E.164 digits, got ${String(number)}`);
      if (typeof callerId !== 'string' || !/^\d{5,15}$/.test(callerId))
        throw new TypeError(
          `callPSTN: callerid must be a rented or verified number, got ${String(callerId)}`,
        );
      const detector = parameters.amd instanceof VirtualDetector ? parameters.amd : undefined;
      const callRecord = {
        callId: randomUUID(),
        number,
        callerId,
        startedAt: Date.now(),
        connectedAt: null,
        endedAt: null,
        successful: false,
        durationSec: 0,
        failureCode: null,
        endReason: null,
        amdVerdict: null,
        played: [],
        failedPlays: [],
        hungUpBy: null,
      };
      record.calls.push(callRecord);
      const call = new VirtualCall(host, callRecord, options.phoneFor(number), detector);
      calls.push(call);
      queueMicrotask(() => {
        if (!ended) call.begin();
      });
      return call;
    },
  };

  const globals = {
    VoxEngine: voxEngine,
    AppEvents: APP_EVENTS,
    CallEvents: CALL_EVENTS,
    AMD: {
      create: (parameters?: { model?: unknown; timeout?: unknown }) => new VirtualDetector(parameters),
      Events: AMD_EVENTS,
      Model: AMD_MODEL,
      ResultClass: { HUMAN: 'HUMAN', VOICEMAIL: 'VOICEMAIL', TIMEOUT: 'TIMEOUT', CALL_ENDED: 'CALL_ENDED' },
    },
    Net: { httpRequestAsync },
    Logger: { write: (text: unknown) => void record.log.push(String(text)) },
    Crypto: {
      hmac_sha256: (key: string, data: string) =>
        createHmac('sha256', Buffer.from(String(key), options.hmac?.text ?? 'utf8'))
          .update(String(data), options.hmac?.text ?? 'utf8')
          .digest(options.hmac?.output ?? 'hex'),
      sha256: (data: string) => createHash('sha256').update(String(data), 'utf8').digest('hex'),
      md5: (data: string) => createHash('md5').update(String(data), 'utf8').digest('hex'),
    },
    VoiceList: createVoiceList(),
    // The host's clock, not the context's own: a test that moves the process's clock (its `Date`)
    // moves the scenario's result timestamps with it, as a real platform shares the wall clock.
    Date,
    setTimeout: (fn: () => void, ms = 0) => after(Number(ms), fn),
    clearTimeout: (handle: NodeJS.Timeout) => {
      clearTimeout(handle);
      timers.delete(handle);
    },
  };

  const context = vm.createContext(globals, { name: `voxengine session ${options.sessionId}` });
  after(options.maxSessionMs ?? 3_600_000, () => endSession('Timeout'));
  guarded(() => {
    new vm.Script(options.scenarioSource, { filename: options.scenarioName ?? 'scenario.js' }).runInContext(
      context,
    );
  });
  dispatch(app, {
    name: APP_EVENTS.Started,
    sessionId: options.sessionId,
    accountId: options.accountId ?? 1,
    applicationId: options.applicationId ?? 1,
    accessURL: options.accessUrls?.http ?? '',
    accessSecureURL: options.accessUrls?.https ?? '',
    logURL: '',
  });

  return {
    record,
    done,
    httpRequest(request) {
      dispatch(app, { name: APP_EVENTS.HttpRequest, ...request, headers: [] });
    },
    kill: (reason = 'Terminated administratively') => finish(reason),
  };
}

interface HttpInit {
  method?: string;
  postData?: unknown;
  headers?: unknown;
  timeout?: number;
}

interface HttpAnswer {
  code: number;
  text?: string;
  headers?: { key: string; value: string }[];
  error?: string;
}

function stringHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {};
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
