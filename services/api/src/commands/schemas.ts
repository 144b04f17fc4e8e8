// Request and response schemas of the command routes, derived once (module level: the OpenAPI
// component ids are global) from the domain's command schemas.
import { commandRegistry, type CommandRegistryEntry, type CommandType } from '@convene/domain';
import { z } from 'zod';
import { commandRoutes, pathParams, type CommandRouteSpec } from './table';

/** The domain's data schemas are strict objects (refinements are checked again by the domain). */
function shapeOf(type: CommandType): Record<string, z.ZodType> {
  const schema = commandRegistry[type]?.schema;
  if (!(schema instanceof z.ZodObject)) throw new Error(`command ${type} has no object schema`);
  return schema.shape as Record<string, z.ZodType>;
}

export const CommandHeadersSchema = z.looseObject({
  'if-match': z
    .string()
    .regex(/^(W\/)?"\d+"$/, 'Expected W/"<version>"')
    .optional()
    .describe('Expected stream version (the ETag of a previous answer); 412 when it is not current'),
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('A retry with the same key returns the first answer byte for byte'),
});

export interface CommandSchemas {
  type: CommandType;
  spec: CommandRouteSpec;
  registryEntry: CommandRegistryEntry;
  operationId: string;
  description: string;
  params: string[];
  paramsSchema: z.ZodObject | undefined;
  bodySchema: z.ZodObject;
  /** Id fields answered: the path ids and the created id. */
  idFields: string[];
  resultSchema: z.ZodObject;
}

export const commandTypesInTable = Object.keys(commandRoutes) as CommandType[];

export const commandSchemas: Record<CommandType, CommandSchemas> = Object.fromEntries(
  commandTypesInTable.map((type) => {
    const spec: CommandRouteSpec = commandRoutes[type];
    const entry = commandRegistry[type]!;
    const shape = shapeOf(type);
    const params = pathParams(spec.path);
    for (const p of params) if (!shape[p]) throw new Error(`${type}: path parameter ${p} is not a field of the command`);
    const bodyShape: Record<string, z.ZodType> = Object.fromEntries(Object.entries(shape).filter(([k]) => !params.includes(k) && !(spec.serverFields ?? []).includes(k)));
    const created = spec.creates?.field;
    if (created) {
      const idSchema = bodyShape[created];
      if (!idSchema) throw new Error(`${type}: created id ${created} is not a body field`);
      bodyShape[created] = idSchema.optional().describe('Generated (uuid v7) when not supplied');
    }
    const idFields = [...params, ...(created ? [created] : [])];
    const resultSchema = z
      .object({
        // The ids as the command types them (a uuid, or e.g. a measure id of the catalogue).
        ...Object.fromEntries(idFields.map((f) => [f, shape[f] ?? z.uuid()])),
        streamId: z.string(),
        version: z.number().int().describe('Version of the stream after the command (also the ETag)'),
        position: z.number().int().describe('Global position of the last event written (also Convene-Position)'),
      })
      .meta({ id: `${type}Result` });
    const schemas: CommandSchemas = {
      type,
      spec,
      registryEntry: entry,
      operationId: entry.operationId,
      description: entry.description,
      params,
      paramsSchema: params.length ? z.object(Object.fromEntries(params.map((p) => [p, shape[p]!]))) : undefined,
      bodySchema: z.object(bodyShape).strict().meta({ id: `${type}Request` }),
      idFields,
      resultSchema,
    };
    return [type, schemas];
  }),
) as Record<CommandType, CommandSchemas>;
