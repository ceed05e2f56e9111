import { z } from 'zod';

/**
 * The Corezoid API's request, as the seed's PHP template sends it to the public URL:
 * `{"ops":[{"ref":…,"type":"create","obj":"task","conv_id":"31754","data":{…}}]}`. Only the
 * envelope is checked here; each op is read on its own (corezoid-op.ts), so one bad op gets its
 * own answer and the others are still taken.
 */
export const corezoidRequestSchema = z.object({ ops: z.array(z.unknown()) });

/**
 * A PHP array as `json_encode` writes it: an object, or `[]` when it is empty (`$_COOKIE` of a
 * first visit, `$_POST` of an empty form) or a list. Lists become objects keyed "0", "1", …, as
 * PHP itself sees them; anything else is no array at all.
 */
export const phpArraySchema = z.preprocess(
  (value) => (Array.isArray(value) ? Object.fromEntries(value.entries()) : value),
  z.record(z.string(), z.unknown()),
);

/**
 * One op. `ref` is Corezoid's: a string, a number or null (the seed uses the client's IP); `id`
 * names the op in the answer; `conv_id` (the Corezoid process) is accepted and ignored, as the
 * URL already names the portal.
 */
export const corezoidOpSchema = z.object({
  type: z.string().optional(),
  obj: z.string().optional(),
  ref: z.union([z.string(), z.number(), z.null()]).optional(),
  id: z.union([z.string(), z.number()]).optional(),
  conv_id: z.unknown().optional(),
  data: phpArraySchema,
});

export type CorezoidOp = z.output<typeof corezoidOpSchema>;
