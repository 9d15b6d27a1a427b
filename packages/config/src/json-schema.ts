import { z } from 'zod';
import { environmentSchema } from './schema/environment.js';

/** JSON Schema of an environment file, for editor completion (input side: defaults optional). */
export function environmentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(environmentSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/harbor-platform/harbor-platform/schemas/environment.schema.json',
    title: 'harbor-platform environment',
  };
}
