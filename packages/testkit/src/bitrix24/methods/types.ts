import type { Cause } from '../emit.js';
import type { MethodResult } from '../envelope.js';
import type { Portal } from '../portal.js';

export type Params = Record<string, unknown>;

/** Who is calling: an inbound webhook or an app's OAuth token, and as which user. */
export interface AuthContext {
  kind: 'webhook' | 'app';
  userId: number;
  /** The scopes granted; undefined = all of them. */
  scopes: ReadonlySet<string> | undefined;
  /** The app's client_id, or `webhook:<user>/<secret>`: the operating-time limit counts per client. */
  clientKey: string;
  /** The app (app calls only). */
  clientId?: string;
  /** The access token the call came with (app calls only): `attachRecord` puts it in its `uploadUrl`. */
  accessToken?: string;
}

/** What the simulator lets methods do besides reading their portal. */
export interface SimServices {
  /** Queues an event to every handler bound to it on the portal (§3); never throws. */
  emit(portal: Portal, event: string, data: Record<string, unknown>, cause: Cause): void;
  /** Runs another method with the caller's credential (for `batch`). */
  call(method: string, params: Params, ctx: CallContext): Promise<MethodOutcome>;
  /** Downloads a file the way the portal does for `attachRecord`'s RECORD_URL (record-download.ts). */
  download(url: string): Promise<Download>;
}

/** What a portal-side download gave: the file, or the HTTP status (0: no answer at all). */
export type Download = { ok: true; bytes: Buffer; url: string } | { ok: false; status: number };

export interface CallContext {
  portal: Portal;
  auth: AuthContext;
  /** The clock's instant at the start of the request, ms. */
  now: number;
  sim: SimServices;
}

/** A method's answer, or its error as the portal sends it. */
export type MethodOutcome =
  | { ok: true; value: MethodResult; time: import('../envelope.js').TimeBlock }
  | { ok: false; status: number; body: Record<string, unknown> };

export interface MethodDef {
  /** The scope a webhook or app needs; undefined for scope-less methods (`profile`, `batch`). */
  scope: string | undefined;
  /** Needs an application (OAuth) context: a webhook gets WRONG_AUTH_TYPE (§1). */
  appOnly?: boolean;
  /**
   * Synchronous for every method but those that fetch something (`attachRecord` with RECORD_URL):
   * no await between reading and writing state. An async handler re-reads what it writes to.
   */
  handle(params: Params, ctx: CallContext): MethodResult | Promise<MethodResult>;
}

export type MethodTable = Readonly<Record<string, MethodDef>>;
