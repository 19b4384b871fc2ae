/**
 * A validator for the subset of JSON Schema that bench/report.schema.json uses (type, required,
 * properties, additionalProperties, items, enum, const, minimum, $ref to #/$defs). Returns the
 * problems found, each with its JSON path.
 */
export type Schema = {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  $ref?: string;
  $defs?: Record<string, Schema>;
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function validate(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    const target = root.$defs?.[name];
    return target ? validate(value, target, root, path) : [`${path}: unknown $ref ${schema.$ref}`];
  }
  const problems: string[] = [];
  if (schema.type) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) return [`${path}: expected ${allowed.join(' or ')}, got ${actual}`];
  }
  if (schema.const !== undefined && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) problems.push(`${path}: ${value} < ${schema.minimum}`);
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...validate(item, schema.items!, root, `${path}[${i}]`)));
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${path}: missing ${key}`);
    for (const [key, item] of Object.entries(record)) {
      const sub = schema.properties?.[key];
      if (sub) problems.push(...validate(item, sub, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property ${key}`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...validate(item, schema.additionalProperties, root, `${path}.${key}`));
    }
  }
  return problems;
}
