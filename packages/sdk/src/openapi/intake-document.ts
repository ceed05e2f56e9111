import { z } from 'zod';
import { createDocument, type ZodOpenApiObject } from 'zod-openapi';
import { leadInputSchema } from '../lead/index.js';

const issue = z.object({ path: z.string(), message: z.string() });

/**
 * The OpenAPI 3.1 document of the intake route, generated from the same zod schema that validates
 * the requests (zod-openapi, which reads zod 4 schemas), so the document cannot drift from the code.
 */
export function intakeOpenApiDocument(
  options: { path?: string; serverUrl?: string } = {},
): ReturnType<typeof createDocument> {
  const path = options.path ?? '/leads';
  const document: ZodOpenApiObject = {
    openapi: '3.1.0',
    info: {
      title: 'Prozvon intake',
      version: '1.0.0',
      description:
        "A shop's server posts each lead here with the intake secret (Authorization: Bearer …); Prozvon calls the customer back within seconds.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths: {
      [path]: {
        post: {
          summary: 'Submit a lead',
          requestBody: { required: true, content: { 'application/json': { schema: leadInputSchema } } },
          responses: {
            '202': {
              description:
                'Accepted and persisted; a retry of the same body and ref within 24 hours gets the first answer again.',
              content: {
                'application/json': { schema: z.object({ leadId: z.string(), state: z.string() }) },
              },
            },
            '400': {
              description: 'Invalid lead: nothing stored.',
              content: {
                'application/json': {
                  schema: z.object({ error: z.literal('invalid_lead'), issues: z.array(issue) }),
                },
              },
            },
            '401': { description: 'Wrong or missing intake secret.' },
            '409': {
              description: 'A lead with this ref and another body is still in progress.',
              content: {
                'application/json': {
                  schema: z.object({ error: z.literal('duplicate'), leadId: z.string() }),
                },
              },
            },
            '413': { description: 'Body too large.' },
            '415': {
              description:
                "Not application/json (UTF-8): this is the shop server's route; a browser's form posts to the order-form route.",
            },
            '429': {
              description:
                "Too many leads for this phone or from this IP (the shop's abuse limits): nothing stored.",
              headers: {
                'Retry-After': {
                  description: 'Seconds until the limit that refused it lets a lead through again.',
                  schema: { type: 'integer' },
                },
              },
              content: {
                'application/json': { schema: z.object({ error: z.literal('too_many_requests') }) },
              },
            },
          },
        },
      },
    },
  };
  return createDocument(document);
}
