import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNumber, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A field of a request class: documented in the OpenAPI document and checked at the edge to be
 * of the documented JSON type (EdgeValidationPipe). `required` only documents: the service that
 * owns the field refuses a missing one with its own message (Anchore's, for accounts and users).
 */
interface FieldOptions {
  required?: boolean;
  description?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[] | Record<string, unknown>;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  writeOnly?: boolean;
}

const documented = ({ required, ...options }: FieldOptions, schema: ApiPropertyOptions) =>
  required === false ? ApiPropertyOptional({ ...options, ...schema } as ApiPropertyOptions) : ApiProperty({ ...options, ...schema } as ApiPropertyOptions);

export const StringField = (options: FieldOptions = {}) =>
  applyDecorators(
    documented(options, { type: String }),
    IsOptional(),
    IsString({ message: 'must be a string' }),
    ...(typeof options.maxLength === 'number' ? [MaxLength(options.maxLength, { message: `must be at most ${options.maxLength} characters` })] : []),
  );

export const BooleanField = (options: FieldOptions = {}) =>
  applyDecorators(documented(options, { type: Boolean }), IsOptional(), IsBoolean({ message: 'must be true or false' }));

export const NumberField = (options: FieldOptions = {}) =>
  applyDecorators(documented(options, { type: Number }), IsOptional(), IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' }));

/** A JSON object of string values (credential values, secret data, labels); the service checks keys and values. */
export const StringMapField = (options: FieldOptions = {}) =>
  applyDecorators(
    documented(options, { type: 'object', additionalProperties: { type: 'string' } }),
    IsOptional(),
    IsObject({ message: 'must be an object of string values' }),
  );
