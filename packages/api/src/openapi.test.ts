import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi';
import { endpoints } from './endpoints';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>; security: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
};

describe('buildOpenApi', () => {
  const doc = buildOpenApi({ authRequired: true }) as unknown as Doc;

  it('lists every endpoint once, with OpenAPI path templates', () => {
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations.sort()).toEqual(endpoints.map((e) => e.id).sort());
    expect(doc.paths['/api/ips/{ip}/series']?.get?.operationId).toBe('getSeries');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes query parameters from the zod schemas, required or with defaults', () => {
    const params = doc.paths['/api/entities/top']!.get!.parameters;
    const byName = Object.fromEntries(params.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['cidr', 'from', 'interval', 'limit', 'metric', 'sparkPoints', 'to']);
    expect(byName.metric).toMatchObject({ in: 'query', required: true, schema: { type: 'string' } });
    expect(byName.limit).toMatchObject({ required: false });
    expect(byName.limit!.schema.default).toBe(20);
    expect(doc.paths['/api/ips/{ip}/series']!.get!.parameters[0]).toMatchObject({ name: 'ip', in: 'path', required: true });
  });

  it('asks for a token only on protected routes, and only when the server requires one', () => {
    expect(doc.paths['/api/metrics']!.get!.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    const open = buildOpenApi({ authRequired: false }) as unknown as Doc;
    expect(open.paths['/api/metrics']!.get!.security).toEqual([]);
  });

  it('gives request bodies and response schemas', () => {
    expect(doc.paths['/api/alerts/{id}/acknowledge']!.post!.requestBody).toMatchObject({
      content: { 'application/json': { schema: { type: 'object', required: ['by'] } } },
    });
    expect(doc.paths['/api/ips/{ip}/series']!.get!.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { type: 'object' } } },
    });
  });
});
