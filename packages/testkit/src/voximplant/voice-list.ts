import { VOICE_NAMES } from './voxengine-lists.js';

/** A `Voice` of the stand-in's `VoiceList`: VoxEngine's are opaque; ours know their path. */
class VirtualVoice {
  readonly #path: string;
  constructor(path: string) {
    this.#path = path;
    Object.freeze(this);
  }
  get path(): string {
    return this.#path;
  }
}

/** What `Call.say` speaks in when it is given no voice of VoiceList's (its typings' default). */
export const DEFAULT_VOICE = 'Amazon.en_US_Joanna';

/** The path of a voice of the stand-in's VoiceList, or undefined for anything else. */
export function voicePath(voice: unknown): string | undefined {
  return voice instanceof VirtualVoice ? voice.path : undefined;
}

/**
 * `VoiceList` as VoxEngine's typings declare it: nested families (`VoiceList.Yandex.Neural`) whose
 * members are the voices. A name it does not have reads as undefined, as on the platform.
 */
export function createVoiceList(): object {
  const root: Record<string, unknown> = {};
  for (const path of VOICE_NAMES) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1] as string] = new VirtualVoice(path);
  }
  return deepFreeze(root);
}

function deepFreeze(node: Record<string, unknown>): object {
  for (const child of Object.values(node))
    if (child !== null && typeof child === 'object' && !(child instanceof VirtualVoice))
      deepFreeze(child as Record<string, unknown>);
  return Object.freeze(node);
}
