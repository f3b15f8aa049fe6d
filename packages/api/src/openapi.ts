import { z } from 'zod';
import { endpoints as allEndpoints, type Endpoint } from './endpoints';

type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  title?: string;
  version?: string;
  /** Whether the server requires a token; adds the bearer and cookie schemes to protected routes. */
  authRequired?: boolean;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parametersOf(endpoint: Endpoint): JsonSchema[] {
  const list: JsonSchema[] = [];
  const add = (where: 'path' | 'query', object: z.ZodObject | undefined) => {
    if (!object) return;
    for (const [name, field] of Object.entries(object.shape)) {
      const { description, ...schema } = schemaOf(field as z.ZodType, 'input');
      // A type given in the schema's metadata describes the parsed value; the raw forms it accepts are detail.
      if (typeof schema.type === 'string' && schema.anyOf) delete schema.anyOf;
      const absent = (field as z.ZodType).safeParse(undefined);
      if (absent.success && absent.data !== undefined) schema.default = absent.data;
      list.push({ name, in: where, required: where === 'path' || !absent.success, ...(description ? { description } : {}), schema });
    }
  };
  add('path', endpoint.params);
  add('query', endpoint.query);
  return list;
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas the server
 * validates with (`endpoints.ts`), so the two cannot drift apart.
 */
export function buildOpenApi(options: OpenApiOptions = {}, endpoints: readonly Endpoint[] = allEndpoints): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const endpoint of endpoints) {
    const path = endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {};
    for (const r of endpoint.responses) {
      responses[String(r.status)] = {
        description: r.description,
        content: { [r.contentType]: r.schema ? { schema: schemaOf(r.schema, 'output') } : {} },
      };
    }
    const operation: JsonSchema = {
      operationId: endpoint.id,
      summary: endpoint.summary,
      ...(endpoint.description ? { description: endpoint.description } : {}),
      parameters: parametersOf(endpoint),
      ...(endpoint.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(endpoint.body, 'input') } } } } : {}),
      responses,
      ...(options.authRequired && endpoint.auth ? { security: [{ bearer: [] }, { session: [] }] } : { security: [] }),
    };
    (paths[path] ??= {})[endpoint.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'ipscope chart-data API',
      version: options.version ?? '1',
      description: 'Per-IP time series from network events: catalog, top entities, series, summaries, alerts, live stream and export.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The access token the server was started with' },
        session: { type: 'apiKey', in: 'cookie', name: 'ipscope_session', description: 'Set by POST /api/session' },
      },
    },
  };
}
