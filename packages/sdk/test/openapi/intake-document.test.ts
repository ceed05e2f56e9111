import { describe, expect, it } from 'vitest';
import { intakeOpenApiDocument } from '../../src/openapi/index.js';

describe('the intake OpenAPI document', () => {
  it('is OpenAPI 3.1 generated from the lead schema', () => {
    const document = intakeOpenApiDocument({ path: '/api/leads', serverUrl: 'https://shop.example' });
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://shop.example' }]);
    const post = document.paths?.['/api/leads']?.post;
    const body = post?.requestBody as {
      content: { 'application/json': { schema: Record<string, unknown> } };
    };
    const schema = body.content['application/json'].schema as {
      required: string[];
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.required).toEqual(['name', 'phone']);
    expect(schema.properties.name).toMatchObject({ type: 'string', maxLength: 200 });
    expect(schema.properties.comment).toMatchObject({ maxLength: 2000 });
    expect(schema.properties.items).toMatchObject({ type: 'array', maxItems: 100 });
    expect(schema.properties.partnerCode).toMatchObject({ example: 'PARTNER42' });
    expect(Object.keys(post?.responses ?? {})).toEqual(['202', '400', '401', '409', '413', '415', '429']);
  });
});
