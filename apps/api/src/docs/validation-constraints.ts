import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Schema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
};

/** What one class-validator rule says about a value, in JSON Schema (OpenAPI 3.0) terms. */
function applyRule(s: Schema, m: ValidationMetadata): void {
  const [a, b] = (m.constraints ?? []) as unknown[];
  const set = (key: string, value: unknown): void => {
    if (s[key] === undefined && value !== undefined) s[key] = value;
  };
  switch (m.name ?? '') {
    case 'isLength':
      set('minLength', a);
      set('maxLength', b);
      break;
    case 'minLength':
      set('minLength', a);
      break;
    case 'maxLength':
      set('maxLength', a);
      break;
    case 'isNotEmpty':
      if (s.type === 'string') set('minLength', 1);
      break;
    case 'isUuid':
      set('format', 'uuid');
      break;
    case 'isUrl':
      set('format', 'uri');
      break;
    case 'isDateString':
    case 'isIso8601':
      // A calendar day where the example is one (`deadline: 2026-12-31`), an instant otherwise.
      set(
        'format',
        typeof s.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.example) ? 'date' : 'date-time',
      );
      break;
    // The strict date decorators of libs/platform (time/date-fields).
    case 'isLocalDate':
      set('format', 'date');
      break;
    case 'isInstant':
      set('format', 'date-time');
      break;
    case 'isDayOrInstant':
      set('pattern', '^\\d{4}-\\d{2}-\\d{2}(T.+)?$');
      break;
    case 'matches':
      if (a instanceof RegExp) set('pattern', a.source);
      else if (typeof a === 'string') set('pattern', a);
      break;
    case 'min':
      set('minimum', a);
      break;
    case 'max':
      set('maximum', a);
      break;
    case 'isInt':
      if (s.type === 'number') s.type = 'integer';
      break;
    case 'isIn':
      if (s.$ref === undefined && Array.isArray(a)) set('enum', a);
      break;
    case 'isEnum':
      if (s.$ref === undefined && a && typeof a === 'object')
        set('enum', Array.isArray(b) ? b : Object.values(a));
      break;
    case 'arrayMinSize':
      set('minItems', a);
      break;
    case 'arrayMaxSize':
      set('maxItems', a);
      break;
    default:
      break;
  }
}

const ARRAY_RULES = new Set(['arrayMinSize', 'arrayMaxSize', 'arrayNotEmpty', 'arrayUnique']);

/**
 * Writes what class-validator enforces on the DTOs into their schemas (lengths, formats,
 * patterns, bounds, enums), as the Swagger CLI plugin's class-validator shim would: the
 * document says what the api refuses, from the same decorators that refuse it.
 */
export function documentValidation(app: INestApplication, doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const storage = getMetadataStorage();
  const own = (storage as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas;
  // Classes with rules of their own, and the controllers' parameter classes (which may only
  // inherit theirs, e.g. `PartialType(CreateUnitDto)`).
  const targets = new Set<unknown>(own.keys());
  for (const module of app.get(ModulesContainer).values())
    for (const controller of module.controllers.values()) {
      const proto = (controller.metatype as { prototype?: object } | null)?.prototype;
      if (!proto) continue;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const types = Reflect.getMetadata('design:paramtypes', proto, key) as unknown[] | undefined;
        for (const t of types ?? []) targets.add(t);
      }
    }
  for (const target of targets) {
    if (typeof target !== 'function') continue;
    const schema = schemas[target.name];
    if (!schema?.properties) continue;
    for (const m of storage.getTargetValidationMetadatas(target, '', true, false)) {
      const prop = schema.properties[m.propertyName];
      if (!prop || prop.$ref !== undefined) continue;
      const onItems = m.each && !ARRAY_RULES.has(m.name ?? '') && prop.type === 'array' && prop.items;
      const into = onItems ? (prop.items as Schema) : prop;
      if (into.$ref === undefined) applyRule(into, m);
    }
  }
}
