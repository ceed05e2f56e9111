import { z } from 'zod';

/** The parts of a GetCallHistory answer reconciliation reads (VOXIMPLANT.md §1, CallInfo). */
export const HistoryCall = z.object({
  call_id: z.union([z.number(), z.string()]).optional(),
  duration: z.number().nullish(),
  remote_number: z.string().nullish(),
  successful: z.boolean().nullish(),
  /** "End reason code and description"; its format is unverified, so it is only parsed leniently. */
  end_reason: z.string().nullish(),
  record_url: z.string().nullish(),
});

export const HistorySession = z.object({
  call_session_history_id: z.union([z.number(), z.string()]).transform(String),
  custom_data: z.string().nullish(),
  finish_reason: z.string().nullish(),
  duration: z.number().nullish(),
  calls: z.array(HistoryCall).default([]),
});
export type HistorySession = z.output<typeof HistorySession>;

export const CallHistoryAnswer = z.object({
  result: z.array(HistorySession),
  total_count: z.number().optional(),
  count: z.number().optional(),
});

export const StartScenariosAnswer = z.object({
  result: z.literal(1),
  media_session_access_url: z.string().optional(),
  media_session_access_secure_url: z.string().optional(),
  /** Missing from the docs' example, present in the client's type; persisted when there. */
  call_session_history_id: z.union([z.number(), z.string()]).transform(String).optional(),
});
