import { type B24OAuth, SdkError } from '@bitrix24/b24jssdk';
import { type PortalRest, RestCallError } from './portal-rest.js';

/** A deadline for each of the app's own calls: the SDK's own axios timeout is 30 s. */
const CALL_DEADLINE_MS = 15_000;

/**
 * The app's own REST calls through b24jssdk (its limiter, refresh and error parsing apply); an
 * error comes back as a RestCallError with the portal's own code (`ERROR_CORE`, `ACCESS_DENIED`…).
 */
export function portalRestOf(b24: B24OAuth): PortalRest {
  return {
    async call<T>(method: string, params: Readonly<Record<string, unknown>> = {}): Promise<T> {
      let answer: Awaited<ReturnType<typeof b24.actions.v2.call.make<T>>>;
      try {
        const call = b24.actions.v2.call.make<T>({ method, params: { ...params } });
        answer = await withDeadline(call, method);
      } catch (error) {
        throw restError(method, error);
      }
      if (!answer.isSuccess) throw restError(method, answer.getErrors().next().value);
      return answer.getData()?.result as T;
    },
  };
}

async function withDeadline<T>(call: Promise<T>, method: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RestCallError(method, 'TIMEOUT', `no answer in ${CALL_DEADLINE_MS} ms`)),
      CALL_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The portal's `{ error, error_description }` as b24jssdk wraps it, else the SDK's own code. */
function restError(method: string, error: unknown): RestCallError {
  if (error instanceof RestCallError) return error;
  if (error instanceof SdkError) {
    const data = (error.originalError as { response?: { data?: unknown } } | undefined)?.response?.data;
    if (typeof data === 'object' && data !== null && 'error' in data) {
      const body = data as { error: unknown; error_description?: unknown };
      return new RestCallError(method, String(body.error), String(body.error_description ?? ''));
    }
    return new RestCallError(method, error.code, error.message);
  }
  return new RestCallError(method, 'UNKNOWN', error instanceof Error ? error.message : String(error));
}
