export { CHROMIUM_ARGS, type ChromiumLookup, findChromium } from './chromium.js';
export { isCi } from './ci.js';
export { Faults, type InjectedError, sendInjected } from './faults.js';
export { mergedParams, parseForm } from './form.js';
export { freeLoopbackPort } from './free-port.js';
export { type ListenOptions, listenOnLoopback, type SimServer } from './loopback-server.js';
export { buildPackages, findOldNode, importWith, type OldNode, oldNodeTitle } from './old-node.js';
export { BodyError, MAX_BODY_BYTES, type RequestBody, readBody, sendJson } from './read-body.js';
export { escapeHtml, renderStatePage, type StateSection, sendHtml } from './state-page.js';
