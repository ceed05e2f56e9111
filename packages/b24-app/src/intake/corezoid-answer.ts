import { answerSubmit, jsonResponse, type LeadIssue, type SubmitResult } from '@prozvon/sdk';

/**
 * The Corezoid API's answer (corezoid/documentation, en/api/v2/tasks.md "Create task" and
 * en/api/v1/spec.md): `request_proc` for the whole package, and one entry per op, in order, with
 * `proc` "ok" or a word naming what went wrong. `obj_id` is the lead's id.
 */
export interface CorezoidOpAnswer {
  readonly id: string | number;
  readonly proc: string;
  readonly obj: 'task';
  readonly ref: string | number | null;
  readonly obj_id?: string;
  readonly description?: string;
}

/** An op's answer, and how the HTTP answer should reflect it (a retry delay, a server failure). */
export interface OpOutcome {
  readonly answer: CorezoidOpAnswer;
  /** 5xx when nothing was decided for a reason of ours (the store failed): the sender may retry. */
  readonly status?: number;
  readonly retryAfterSec?: number;
}

type OpName = Pick<CorezoidOpAnswer, 'id' | 'ref'>;

/**
 * Submits one op's lead and words the SDK's answer (`answerSubmit`: the one place that sorts a
 * submit's errors) as Corezoid would. The words, where Corezoid has them, are from its docs'
 * error tags (en/interface/create/api_copy.md and the copy-task logic page): `not_unical_ref` /
 * "not unical reference" for a ref still in progress, `wrong_validate_params` with
 * "Param: <name>, Error: <error>" for a bad field, `conveyor_is_not_active` / "conveyor is not
 * active" for a portal that takes no leads; "error" otherwise.
 */
export async function submitOp(
  op: OpName,
  submit: () => Promise<SubmitResult>,
  onError: ((error: unknown) => void) | undefined,
): Promise<OpOutcome> {
  const response = await answerSubmit(submit, onError);
  const body = (await response.json()) as { leadId?: string; issues?: readonly LeadIssue[] };
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  const retry = Number.isFinite(retryAfter) ? { retryAfterSec: retryAfter } : {};
  switch (response.status) {
    case 202:
      return { answer: opAnswer(op, 'ok', { obj_id: body.leadId ?? '' }) };
    case 400:
      return {
        answer: opAnswer(op, 'wrong_validate_params', { description: issuesText(body.issues ?? []) }),
      };
    case 409:
      // The lead in progress is named, as the SDK's 409 does: the shop can find it.
      return {
        answer: opAnswer(op, 'not_unical_ref', {
          description: 'not unical reference',
          obj_id: body.leadId ?? '',
        }),
      };
    case 429:
      return { answer: opAnswer(op, 'error', { description: 'too many requests' }), ...retry };
    case 404:
      return { answer: opAnswer(op, 'conveyor_is_not_active', { description: 'conveyor is not active' }) };
    default: {
      const suspended =
        response.status === 503 && (body as { error?: string }).error === 'tenant_unavailable';
      if (suspended) {
        return {
          answer: opAnswer(op, 'conveyor_is_not_active', { description: 'conveyor is not active' }),
          status: 503,
          ...retry,
        };
      }
      return {
        answer: opAnswer(op, 'error', { description: 'not accepted' }),
        status: response.status,
        ...retry,
      };
    }
  }
}

export function opAnswer(
  op: OpName,
  proc: string,
  extra: Pick<CorezoidOpAnswer, 'obj_id' | 'description'> = {},
): CorezoidOpAnswer {
  return { id: op.id, proc, obj: 'task', ref: op.ref, ...extra };
}

/** Corezoid's "Param: <name>, Error: <error>", one per bad field. */
function issuesText(issues: readonly LeadIssue[]): string {
  return issues.map((issue) => `Param: ${issue.path || 'data'}, Error: ${issue.message}`).join('; ');
}

/**
 * A whole-package answer with no op run: `format_error` is Corezoid's documented word for a
 * package it could not read (en/api/v1/spec.md); the others are ours where its docs say nothing.
 */
export function packageAnswer(
  status: number,
  requestProc: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { request_proc: requestProc, ops: [], description }, headers);
}
