import Router from '@koa/router';
import type { Logger } from '@prozvon/sdk';
import type { WebHandler } from '@prozvon/sdk/koa';
import { toKoa } from '@prozvon/sdk/koa';
import Koa from 'koa';
import { requestLog } from './http/request-log.js';
import { API_PATHS, type SettingsApiRoutes } from './settings/settings-api.js';

/** Every route of the app, as Web handlers (each testable without Koa). */
export interface AppRoutes {
  readonly installPage: WebHandler;
  readonly appPage: WebHandler;
  readonly leadTab: WebHandler;
  readonly dashboard: WebHandler;
  /** The pages' built scripts and styles (pages/built-pages.ts). */
  readonly pageAssets: WebHandler;
  readonly events: WebHandler;
  readonly voice: WebHandler;
  readonly intake: WebHandler;
  readonly corezoid: WebHandler;
  readonly b24jssdk: WebHandler;
  readonly health: WebHandler;
  readonly metrics: WebHandler;
  /** The pages' JSON API (settings/settings-api.ts). */
  readonly api: SettingsApiRoutes;
}

/** Public paths, one place: what the portal, the shop's site and Voximplant are given. */
export const PATHS = {
  install: '/b24/install',
  app: '/b24/app',
  leadTab: '/b24/lead-tab',
  dashboard: '/b24/dashboard',
  pageAssets: '/b24/pages/assets/:file',
  events: '/b24/events',
  voice: '/voice/:portalKey',
  intake: '/p/:portalKey/leads',
  corezoid: '/api/1/json/public/:portalKey/:secret',
  b24jssdk: '/assets/b24jssdk.js',
  health: '/healthz',
  metrics: '/metrics',
} as const;

/**
 * The Koa app: the request log first (it also turns a thrown error into a bare 500), then the
 * routes. No body parser: each handler reads its body itself, bounded (the SDK's bridge needs the
 * raw stream). Bitrix24 opens pages with a POST (BITRIX24.md, corrections), so pages take both.
 */
export function createServer(routes: AppRoutes, logger: Logger, options: { readonly proxy: boolean }): Koa {
  const app = new Koa({ proxy: options.proxy });
  const router = new Router();
  const page = (path: string, handler: WebHandler) => {
    router.get(path, toKoa(handler));
    router.post(path, toKoa(handler));
  };
  page(PATHS.install, routes.installPage);
  page(PATHS.app, routes.appPage);
  page(PATHS.leadTab, routes.leadTab);
  page(PATHS.dashboard, routes.dashboard);
  router.get(PATHS.pageAssets, toKoa(routes.pageAssets));
  router.post(PATHS.events, toKoa(routes.events));
  router.post(PATHS.voice, toKoa(routes.voice));
  router.post(PATHS.intake, toKoa(routes.intake));
  router.options(PATHS.intake, toKoa(routes.intake));
  router.post(PATHS.corezoid, toKoa(routes.corezoid));
  router.get(PATHS.b24jssdk, toKoa(routes.b24jssdk));
  router.get(PATHS.health, toKoa(routes.health));
  router.get(PATHS.metrics, toKoa(routes.metrics));
  router.get(API_PATHS.settings, toKoa(routes.api.getSettings));
  router.put(API_PATHS.settings, toKoa(routes.api.putSettings));
  router.post(API_PATHS.rotateIntakeSecret, toKoa(routes.api.rotateIntakeSecret));
  router.post(API_PATHS.connectVoximplant, toKoa(routes.api.connectVoximplant));
  router.get(API_PATHS.leads, toKoa(routes.api.listLeads));
  router.get(API_PATHS.lead, toKoa(routes.api.getLead));
  router.post(API_PATHS.retryCrm, toKoa(routes.api.retryCrm));
  router.post(API_PATHS.cancelCalls, toKoa(routes.api.cancelCalls));
  router.post(API_PATHS.callNow, toKoa(routes.api.callNow));
  router.get(API_PATHS.crmLead, toKoa(routes.api.crmLead));
  router.post(API_PATHS.testSms, toKoa(routes.api.testSms));
  router.post(API_PATHS.testTelegram, toKoa(routes.api.testTelegram));
  router.post(API_PATHS.testCall, toKoa(routes.api.testCall));
  router.get(API_PATHS.restLog, toKoa(routes.api.restLog));
  router.post(API_PATHS.machineWasPerson, toKoa(routes.api.machineWasPerson));
  router.get(API_PATHS.dashboard, toKoa(routes.api.dashboard));
  app.use(requestLog(logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
