import {
  type CallResultEvent,
  createCallPlanHandler,
  createCallPlanProvider,
  createCallResultHandler,
  createCallResultVerifier,
  MemoryPendingCallStore,
  type PendingCall,
} from '../../src/index.js';
import type { CallPlan } from '../../src/protocol/call-plan.js';
import type { CallPlanProviderOptions } from '../../src/server/call-plan-provider.js';
import { serveOnLoopback, type WebServer } from './web-server.js';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

export interface ShopServer extends WebServer {
  readonly store: MemoryPendingCallStore;
  readonly planUrl: string;
  readonly callbackUrl: string;
  /** What the result handler delivered, in order. */
  readonly delivered: { leadId: string; event: CallResultEvent }[];
  /** Makes the next `n` deliveries throw, as a database outage would. */
  failDeliveries(n: number): void;
}

/** Our side of a call on loopback: the plan handler and the result handler, as a shop mounts them. */
export async function startShopServer(
  options: Partial<Pick<CallPlanProviderOptions, 'message' | 'promotion' | 'amd' | 'maxCallSec'>> & {
    /** Changes every plan after it is made: what an older or misconfigured server would send. */
    readonly tamperPlan?: (plan: CallPlan) => unknown;
  } = {},
): Promise<ShopServer> {
  const store = new MemoryPendingCallStore();
  const delivered: ShopServer['delivered'] = [];
  let failing = 0;
  let base = '';
  const planFor = createCallPlanProvider({
    secret: TEST_SECRET,
    store,
    get callbackUrl() {
      return `${base}/voximplant/result`;
    },
    message: options.message ?? { kind: 'url', url: 'https://shop.example/audio/order-accepted.mp3' },
    promotion:
      options.promotion === undefined
        ? { kind: 'tts', text: 'Скидка 10% на следующий заказ', voice: 'Yandex.Neural.ru_RU_alena' }
        : options.promotion,
    ...(options.amd ? { amd: options.amd } : {}),
    // Tests run at 1/1000 speed: 600 virtual seconds leave a loaded machine 600 ms of headroom.
    maxCallSec: options.maxCallSec ?? 600,
  });
  const verifier = createCallResultVerifier({ secret: TEST_SECRET });
  const server = await serveOnLoopback({
    '/voximplant/plan': createCallPlanHandler(async (callId) => {
      const plan = await planFor(callId);
      return plan === null || options.tamperPlan === undefined
        ? plan
        : (options.tamperPlan(plan) as CallPlan);
    }),
    '/voximplant/result': createCallResultHandler({
      verifier,
      deliver: async (leadId, event) => {
        if (failing > 0) {
          failing--;
          throw new Error('database is down');
        }
        delivered.push({ leadId, event });
      },
    }),
  });
  base = server.url;
  return {
    ...server,
    store,
    planUrl: `${base}/voximplant/plan`,
    callbackUrl: `${base}/voximplant/result`,
    delivered,
    failDeliveries: (n) => {
      failing = n;
    },
  };
}

export function pendingCall(overrides: Partial<PendingCall> & Pick<PendingCall, 'callId'>): PendingCall {
  return {
    key: 'lead:L1:dial:1',
    leadId: 'L1',
    attempt: 1,
    phone: '79160000001',
    callerId: '74950000000',
    customerName: 'Анна',
    scenarioId: 'prozvon-callback',
    createdAt: Date.now(),
    ...overrides,
  };
}
