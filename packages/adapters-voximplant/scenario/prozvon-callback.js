// Prozvon callback scenario for VoxEngine (upload it to the application, bind it to the rule whose
// id the adapter's `ruleId` names). Plain ES2017 script: VoxEngine has no modules, no fetch, no Node.
//
// One session = one call attempt:
//   1. custom data is {"v":1,"r":"<call reference>","u":"<plan URL>"} (no phone, no secret);
//   2. POST {v, callId, sessionId} to the plan URL -> the plan (phone, caller id, message, promotion,
//      AMD settings, callback URL, a signing key for this call only);
//   3. dial with answering-machine detection; a person hears the message and the promotion;
//   4. POST the signed result to the callback URL (retried on network errors and 5xx), terminate.
//
// Checked against Voximplant's official typings (voximplant/voxengine-ci, typings/voxengine.d.ts):
// AMD.create throws on a model outside AMD.Model, an unknown VoiceList name is no voice (say()
// then speaks in an English default), PlaybackFinished may carry an `error`. The server checks
// model and voice when it is configured; the scenario still reports each case for what it is.
//
// The wire formats and the outcome mapping are defined in the adapter's src/protocol/; this file
// repeats them because it cannot import, and the adapter's tests check that the copies agree.
/* global VoxEngine, AppEvents, CallEvents, AMD, Net, Logger, Crypto, VoiceList */

const PROTOCOL_VERSION = 1;
const CALL_HEADER = 'X-Prozvon-Call';
const TIMESTAMP_HEADER = 'X-Prozvon-Timestamp';
const SIGNATURE_HEADER = 'X-Prozvon-Signature';
// Three tries of each request, with pauses of 1 s and 3 s, stay well inside VoxEngine's 90 s grace.
const RETRY_PAUSES_MS = [1000, 3000];
const REQUEST_TIMEOUT_SEC = 10;

// Same as INVALID_NUMBER_CODES / REFUSED_CODES / outcomeForFailureCode in src/protocol/outcome.ts
// (which cites the sources): a wrong number, an account that may not or cannot pay for the call.
const INVALID_NUMBER_CODES = [404, 410, 484, 604];
const REFUSED_CODES = [402, 403];

function outcomeForFailureCode(code) {
  if (INVALID_NUMBER_CODES.indexOf(code) >= 0) return 'invalid';
  if (REFUSED_CODES.indexOf(code) >= 0) return 'refused';
  return 'nodial';
}

// Same as outcomeForAmd in src/protocol/outcome.ts.
function outcomeForAmd(resultClass) {
  if (resultClass === 'HUMAN' || resultClass === 'TIMEOUT') return 'answered';
  if (resultClass === 'VOICEMAIL') return 'machine';
  return 'nodial';
}

function pause(ms) {
  return new Promise((resolve) => {
    setTimeout(() => resolve(null), ms);
  });
}

// Crypto.hmac_sha256 takes and returns strings, and Voximplant does not say how its text becomes
// bytes: the signed body is kept ASCII (every other character as a JSON \u escape, the same JSON
// once parsed), so UTF-8 and Latin-1 readings sign the same bytes. See src/protocol/signature.ts.
function asciiJson(text) {
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${`000${c.charCodeAt(0).toString(16)}`.slice(-4)}`);
}

function log(text) {
  Logger.write(`prozvon: ${text}`);
}

// Net.httpRequestAsync resolves on HTTP errors: code <= 0 is VoxEngine's own failure (timeout,
// connection...), >= 500 our server's. Both are retried; anything else is final.
async function postJson(url, body, headers) {
  let response = null;
  for (let i = 0; i <= RETRY_PAUSES_MS.length; i++) {
    if (i > 0) await pause(RETRY_PAUSES_MS[i - 1]);
    response = await Net.httpRequestAsync(url, {
      method: 'POST',
      postData: body,
      headers: headers,
      timeout: REQUEST_TIMEOUT_SEC,
    });
    if (response.code > 0 && response.code < 500) return response;
    log(`POST ${url} answered ${response.code}, try ${i + 1}`);
  }
  return response;
}

function parseCustomData(text) {
  try {
    const data = JSON.parse(text);
    if (data && data.v === PROTOCOL_VERSION && typeof data.r === 'string' && typeof data.u === 'string') {
      return data;
    }
  } catch (_e) {
    // fall through
  }
  return null;
}

async function fetchPlan(data, sessionId) {
  const body = JSON.stringify({ v: PROTOCOL_VERSION, callId: data.r, sessionId: String(sessionId) });
  const response = await postJson(data.u, body, { 'Content-Type': 'application/json' });
  if (response.code !== 200) {
    log(`no call plan: HTTP ${response.code}`);
    return null;
  }
  try {
    const plan = JSON.parse(response.text);
    return plan && plan.v === PROTOCOL_VERSION && plan.callId === data.r ? plan : null;
  } catch (_e) {
    log('call plan is not JSON');
    return null;
  }
}

function voiceByName(name) {
  let node = VoiceList;
  const parts = String(name).split('.');
  for (let i = 0; i < parts.length && node; i++) node = node[parts[i]];
  return node;
}

function CallRun(plan, sessionId) {
  this.plan = plan;
  this.sessionId = sessionId === undefined || sessionId === null ? null : String(sessionId);
  this.t = { started: Date.now(), ringing: null, connected: null, amd: null, ended: null };
  this.amd = null;
  this.reported = false;
  this.call = null;
  this.playlist = [];
  // Items that played to the end: a failure after the message still reached the customer.
  this.heard = 0;
  this.duration = 0;
  // Set once the result has started to leave: Terminating must not send it a second time.
  this.sending = false;
  this.decided = null;
}

CallRun.prototype.start = function () {
  const plan = this.plan;
  setTimeout(() => {
    log(`hard timeout after ${plan.maxCallSec} s`);
    this.finish('nodial', { failureReason: 'hard-timeout' });
    if (this.call !== null) this.hangupQuietly();
  }, plan.maxCallSec * 1000);

  let detector = null;
  const options = {};
  if (plan.amd.enabled) {
    detector = AMD.create({ model: plan.amd.model, timeout: plan.amd.timeoutMs });
    options.amd = detector;
  }
  const call = VoxEngine.callPSTN(plan.phone, plan.callerId, options);
  this.call = call;

  call.addEventListener(CallEvents.Ringing, () => {
    if (this.t.ringing === null) this.t.ringing = Date.now();
  });
  call.addEventListener(CallEvents.Failed, (e) => {
    this.finish(outcomeForFailureCode(e.code), { failureCode: e.code, failureReason: e.reason || null });
  });
  call.addEventListener(CallEvents.Connected, () => {
    this.t.connected = Date.now();
    // Without a detector the person hears the message at once.
    if (detector === null) this.play();
  });
  call.addEventListener(CallEvents.PlaybackFinished, (e) => {
    if (e.error) this.onPlaybackFailed(String(e.error));
    else {
      this.heard++;
      this.playNext();
    }
  });
  call.addEventListener(CallEvents.Disconnected, (e) => {
    this.onDisconnected(e);
  });
  if (detector !== null) {
    detector.addEventListener(AMD.Events.DetectionComplete, (e) => {
      this.onVerdict(e);
    });
    detector.addEventListener(AMD.Events.DetectionError, (e) => {
      // Count a detector failure like a timeout: the message is still played.
      log(`AMD error: ${e.message}`);
      this.onVerdict({ resultClass: 'TIMEOUT', resultSubtype: null, confidence: null });
    });
  }
};

CallRun.prototype.onVerdict = function (e) {
  if (this.amd !== null || this.reported) return;
  this.t.amd = Date.now();
  this.amd = {
    resultClass: String(e.resultClass),
    subtype: e.resultSubtype === undefined || e.resultSubtype === null ? null : String(e.resultSubtype),
    confidence: typeof e.confidence === 'number' ? e.confidence : null,
  };
  const outcome = outcomeForAmd(this.amd.resultClass);
  if (outcome === 'answered') {
    this.play();
    return;
  }
  // A machine is hung up on at once (every second costs money); a pick-up that dropped is retried.
  this.hangupQuietly();
  this.finish(outcome, {});
};

CallRun.prototype.play = function () {
  this.playlist = [this.plan.message];
  if (this.plan.promotion) this.playlist.push(this.plan.promotion);
  this.playNext();
};

CallRun.prototype.playNext = function () {
  const item = this.playlist.shift();
  if (!item) {
    this.hangupQuietly();
    this.finish('answered', {});
    return;
  }
  if (item.kind === 'url') {
    this.call.startPlayback(item.url, { progressivePlayback: true });
    return;
  }
  const voice = voiceByName(item.voice);
  // Not a voice: say() would speak in VoxEngine's English default, which nobody asked for.
  if (!voice) {
    this.onPlaybackFailed(`unknown voice ${item.voice}`);
    return;
  }
  this.call.say(item.text, { voice: voice });
};

// A recording that cannot be fetched, a TTS failure, a voice that does not exist. Before anything
// played the customer heard nothing: 'unheard', with the reason. After the message, the customer
// was reached and the rest is skipped.
CallRun.prototype.onPlaybackFailed = function (error) {
  log(`playback failed: ${error}`);
  if (this.heard > 0) {
    this.playlist = [];
    this.playNext();
    return;
  }
  this.hangupQuietly();
  this.finish('unheard', { failureReason: error });
};

// The scenario itself threw before the call was placed (AMD.create refuses a model it does not
// know): nothing will ring, and a retry would throw again, so it is reported at once, refused.
CallRun.prototype.fail = function (error) {
  // String(), not error?.message: the scenario stays ES2017, and it reads "TypeError: …".
  const message = String(error);
  log(`scenario error: ${message}`);
  if (this.call !== null) this.hangupQuietly();
  this.finish('refused', { failureReason: `scenario error: ${message}` });
};

CallRun.prototype.onDisconnected = function (e) {
  this.duration = typeof e.duration === 'number' ? e.duration : 0;
  if (this.t.connected === null) {
    // Ended before anyone answered, without a Failed event.
    const code = typeof e.internalCode === 'number' ? e.internalCode : null;
    this.finish(code === null ? 'nodial' : outcomeForFailureCode(code), {
      failureCode: code,
      failureReason: e.reason || null,
    });
    return;
  }
  if (this.amd === null && this.plan.amd.enabled) {
    // Hung up before the detector decided: picked up and dropped.
    this.finish('nodial', {});
    return;
  }
  // A person who hangs up in the middle of the message was still reached.
  this.finish(this.amd === null ? 'answered' : outcomeForAmd(this.amd.resultClass), {});
};

CallRun.prototype.hangupQuietly = function () {
  try {
    this.call.hangup();
  } catch (e) {
    log(`hangup: ${e}`);
  }
};

// The platform is ending the session (a limit, an administrator) before the result left: one
// last request is allowed in Terminating, so send what we know once, without retries.
CallRun.prototype.onTerminating = function () {
  if (this.sending) return;
  const decided = this.decided || { outcome: 'nodial', extra: { failureReason: 'terminated' } };
  this.report(decided.outcome, decided.extra, false);
};

CallRun.prototype.finish = function (outcome, extra) {
  if (this.reported) return;
  this.reported = true;
  this.decided = { outcome: outcome, extra: extra };
  // Let Disconnected bring the duration in before the result leaves.
  setTimeout(() => {
    this.report(outcome, extra, true).then(
      () => {
        VoxEngine.terminate();
      },
      (error) => {
        log(`report failed: ${error}`);
        VoxEngine.terminate();
      },
    );
  }, 200);
};

CallRun.prototype.report = async function (outcome, extra, retry) {
  this.sending = true;
  const plan = this.plan;
  this.t.ended = Date.now();
  const body = asciiJson(
    JSON.stringify({
      v: PROTOCOL_VERSION,
      callId: plan.callId,
      leadId: plan.leadId,
      key: plan.key,
      attempt: plan.attempt,
      outcome: outcome,
      amd: this.amd,
      durationSec: this.duration || 0,
      failureCode: extra.failureCode === undefined ? null : extra.failureCode,
      failureReason: extra.failureReason === undefined ? null : extra.failureReason,
      sessionId: this.sessionId,
      t: this.t,
    }),
  );
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = { 'Content-Type': 'application/json' };
  headers[CALL_HEADER] = plan.callId;
  headers[TIMESTAMP_HEADER] = timestamp;
  headers[SIGNATURE_HEADER] = `v1=${Crypto.hmac_sha256(plan.signingKey, `${timestamp}.${body}`)}`;
  const response = retry
    ? await postJson(plan.callbackUrl, body, headers)
    : await Net.httpRequestAsync(plan.callbackUrl, {
        method: 'POST',
        postData: body,
        headers: headers,
        timeout: REQUEST_TIMEOUT_SEC,
      });
  log(`result ${outcome} delivered with HTTP ${response.code}`);
};

VoxEngine.addEventListener(AppEvents.Started, (ev) => {
  const data = parseCustomData(VoxEngine.customData());
  if (data === null) {
    log('custom data is not a Prozvon call reference');
    VoxEngine.terminate();
    return;
  }
  fetchPlan(data, ev.sessionId).then(
    (plan) => {
      if (plan === null) {
        VoxEngine.terminate();
        return;
      }
      const run = new CallRun(plan, ev.sessionId);
      VoxEngine.addEventListener(AppEvents.Terminating, () => run.onTerminating());
      // A throw here would reject a promise nobody handles: the session would sit silent until
      // a platform limit ended it, and the call be reported as a mere 'nodial'.
      try {
        run.start();
      } catch (error) {
        run.fail(error);
      }
    },
    (error) => {
      log(`plan request failed: ${error}`);
      VoxEngine.terminate();
    },
  );
});
