import type { VirtualCallRecord } from './session-record.js';
import { failureOf, type VirtualPhone } from './virtual-phone.js';
import { DEFAULT_VOICE, voicePath } from './voice-list.js';
import { AMD_MODELS } from './voxengine-lists.js';

/** What a call and a detector need from their session: scaled timers and event dispatch. */
export interface CallHost {
  after(virtualMs: number, fn: () => void): void;
  dispatch(target: Listeners, event: Record<string, unknown>): void;
  now(): number;
  /** Virtual seconds between two real instants. */
  virtualSec(fromMs: number, toMs: number): number;
  callEnded(call: VirtualCall): void;
}

type Listener = (event: Record<string, unknown>) => void;

export class Listeners {
  readonly #map = new Map<string, Set<Listener>>();
  addEventListener(name: string, fn: Listener): void {
    const set = this.#map.get(name) ?? new Set<Listener>();
    this.#map.set(name, set);
    set.add(fn);
  }
  removeEventListener(name: string, fn?: Listener): void {
    if (fn === undefined) this.#map.delete(name);
    else this.#map.get(name)?.delete(fn);
  }
  listeners(name: string): Listener[] {
    return [...(this.#map.get(name) ?? [])];
  }
}

export const CALL_EVENTS = {
  Ringing: 'Call.Ringing',
  AudioStarted: 'Call.AudioStarted',
  Connected: 'Call.Connected',
  Failed: 'Call.Failed',
  Disconnected: 'Call.Disconnected',
  PlaybackStarted: 'Call.PlaybackStarted',
  PlaybackFinished: 'Call.PlaybackFinished',
} as const;

/** `enum AMD.Events`, with the values VoxEngine's typings give them. */
export const AMD_EVENTS = {
  DetectionComplete: 'AMD.Events.DetectionComplete',
  DetectionError: 'AMD.Events.DetectionError',
} as const;

const KNOWN_MODELS: ReadonlySet<string> = new Set(AMD_MODELS);

/** An `AMD.create(...)` detector; the call it is attached to decides its verdict. */
export class VirtualDetector extends Listeners {
  readonly model: string;
  readonly timeoutMs: number;
  constructor(parameters: { model?: unknown; timeout?: unknown } = {}) {
    super();
    // `model: AMD.Model` is required, and only its values exist (voxengine-lists.ts): VoxEngine
    // throws on anything else, and nothing the scenario does after that line happens.
    if (typeof parameters.model !== 'string' || !KNOWN_MODELS.has(parameters.model))
      throw new TypeError(`AMD.create: model must be an AMD.Model value, got ${String(parameters.model)}`);
    this.model = parameters.model;
    const timeout = parameters.timeout ?? 6500;
    if (typeof timeout !== 'number' || timeout < 0 || timeout > 20_000)
      throw new RangeError('AMD.create: timeout must be 0…20000 ms');
    this.timeoutMs = timeout;
  }
}

/**
 * A `Call` from `VoxEngine.callPSTN`, playing out its phone's behaviour: Ringing, then Failed, or
 * Connected → the detector's verdict → playback → Disconnected. After it ends it fires nothing more.
 */
export class VirtualCall extends Listeners {
  readonly record: VirtualCallRecord;
  #state: 'ringing' | 'connected' | 'ended' = 'ringing';
  #connectedAtMs = 0;
  #playback = 0;
  readonly #host: CallHost;
  readonly #phone: VirtualPhone;
  readonly #detector: VirtualDetector | undefined;

  constructor(host: CallHost, record: VirtualCallRecord, phone: VirtualPhone, detector?: VirtualDetector) {
    super();
    this.#host = host;
    this.record = record;
    this.#phone = phone;
    this.#detector = detector;
  }

  /** Called once the scenario had a chance to add its listeners. */
  begin(): void {
    const failure = failureOf(this.#phone.answer);
    const ringMs =
      this.#phone.ringMs ?? (this.#phone.answer === 'no-answer' ? 60_000 : failure !== null ? 500 : 3_000);
    this.#host.after(Math.min(200, ringMs / 2), () => {
      if (this.#state === 'ringing') this.#emit(CALL_EVENTS.Ringing, {});
    });
    this.#host.after(ringMs, () =>
      failure === null ? this.#connect() : this.#fail(failure.code, failure.reason),
    );
  }

  id(): string {
    return this.record.callId;
  }
  number(): string {
    return this.record.number;
  }

  hangup(): void {
    if (this.#state === 'ended') return;
    if (this.#state === 'ringing') {
      this.#end(487, 'Request Terminated');
      return;
    }
    this.record.hungUpBy = 'scenario';
    this.#disconnect();
  }

  /** VoxEngine plays HTTP/HTTPS URLs only (`Call.startPlayback` in its typings). */
  startPlayback(url: string): void {
    const item = String(url);
    if (!/^https?:\/\//i.test(item)) {
      this.#failPlayback(item, 'Invalid URL');
      return;
    }
    this.#play(item);
  }

  /**
   * `Call.say`: more than 1500 characters ends in PlaybackFinished with an error; a voice that is
   * not one of VoiceList's (undefined, a family, anything else) is no voice, and VoxEngine speaks
   * in its default, `VoiceList.Amazon.en_US_Joanna`, without a word — as recorded here.
   */
  say(text: string, options: { voice?: unknown } = {}): void {
    const voice = voicePath(options.voice) ?? DEFAULT_VOICE;
    const item = `tts:${voice}:${text}`;
    if (String(text).length > 1500) {
      this.#failPlayback(item, 'Text is too long');
      return;
    }
    this.#play(item);
  }

  stopPlayback(): void {
    this.#playback++;
  }

  #failPlayback(item: string, error: string): void {
    if (this.#state !== 'connected') throw new Error('playback before Connected');
    const token = ++this.#playback;
    this.record.failedPlays.push(`${item} → ${error}`);
    this.#host.after(0, () => {
      if (token === this.#playback && this.#state === 'connected')
        this.#emit(CALL_EVENTS.PlaybackFinished, { error });
    });
  }

  #play(item: string): void {
    if (this.#state !== 'connected') throw new Error('playback before Connected');
    if (this.#phone.playbackError !== undefined) {
      this.#failPlayback(item, this.#phone.playbackError);
      return;
    }
    const token = ++this.#playback;
    this.record.played.push(item);
    this.#emit(CALL_EVENTS.PlaybackStarted, {});
    this.#host.after(this.#phone.playbackMs ?? 4_000, () => {
      if (token === this.#playback && this.#state === 'connected')
        this.#emit(CALL_EVENTS.PlaybackFinished, {});
    });
  }

  #connect(): void {
    if (this.#state !== 'ringing') return;
    this.#state = 'connected';
    this.#connectedAtMs = this.#host.now();
    this.record.connectedAt = this.#connectedAtMs;
    this.record.successful = true;
    this.#emit(CALL_EVENTS.AudioStarted, { headers: {} });
    this.#emit(CALL_EVENTS.Connected, { headers: {}, customData: '' });
    const answer = this.#phone.answer;
    const hangUpAfter =
      this.#phone.hangUpAfterMs ?? (answer === 'machine' ? 30_000 : answer === 'drops' ? 300 : null);
    if (hangUpAfter !== null)
      this.#host.after(hangUpAfter, () => {
        if (this.#state !== 'connected') return;
        this.record.hungUpBy = 'callee';
        this.#verdict('CALL_ENDED');
        this.#disconnect();
      });
    const detector = this.#detector;
    if (detector === undefined) return;
    const decides = answer === 'human' || answer === 'machine';
    const amdMs = this.#phone.amdMs ?? 1_500;
    const verdict =
      decides && amdMs <= detector.timeoutMs ? (answer === 'human' ? 'HUMAN' : 'VOICEMAIL') : 'TIMEOUT';
    if (this.#phone.amdError) {
      this.#host.after(amdMs, () => {
        if (this.#state !== 'connected') return;
        this.#host.dispatch(detector, {
          name: AMD_EVENTS.DetectionError,
          amd: detector,
          callId: this.record.callId,
          message: 'Detection failed',
        });
      });
      return;
    }
    this.#host.after(verdict === 'TIMEOUT' ? detector.timeoutMs : amdMs, () => this.#verdict(verdict));
  }

  #verdict(resultClass: string): void {
    const detector = this.#detector;
    if (detector === undefined || this.record.amdVerdict !== null || this.#state !== 'connected') return;
    this.record.amdVerdict = resultClass;
    this.#host.dispatch(detector, {
      name: AMD_EVENTS.DetectionComplete,
      amd: detector,
      call: this,
      callId: this.record.callId,
      resultClass,
      resultSubtype: 'NONE',
      confidence: resultClass === 'TIMEOUT' || resultClass === 'CALL_ENDED' ? 0 : 87,
    });
  }

  #fail(code: number, reason: string): void {
    if (this.#state !== 'ringing') return;
    this.#end(code, reason);
  }

  #end(code: number, reason: string): void {
    this.#state = 'ended';
    this.record.failureCode = code;
    this.record.endReason = `${code} ${reason}`;
    this.record.endedAt = this.#host.now();
    this.#emit(CALL_EVENTS.Failed, { code, reason, headers: {} });
    this.#host.callEnded(this);
  }

  #disconnect(): void {
    this.#state = 'ended';
    this.#playback++;
    const now = this.#host.now();
    this.record.endedAt = now;
    this.record.durationSec = this.#host.virtualSec(this.#connectedAtMs, now);
    this.record.endReason = '200 Normal call clearing';
    this.#emit(CALL_EVENTS.Disconnected, {
      duration: this.record.durationSec,
      cost: 0,
      direction: 'outgoing',
      internalCode: 200,
      reason: 'Normal call clearing',
      headers: {},
    });
    this.#host.callEnded(this);
  }

  #emit(name: string, fields: Record<string, unknown>): void {
    this.#host.dispatch(this, { name, call: this, id: this.record.callId, ...fields });
  }
}
