import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import { fieldOf } from './form_errors';

const refusal = (field?: string) => new ApiError(400, 'invalid', '身份证号码校验位错误 (check digit does not match)', field);

describe('form error mapping', () => {
  it('puts the message next to the field the API names', () => {
    expect(fieldOf(refusal('id_number'), ['name', 'id_number'])).toBe('id_number');
  });

  it('finds the field of a nested name', () => {
    expect(fieldOf(refusal('params.hours'), ['name', 'params'])).toBe('params');
    expect(fieldOf(refusal('faces[2]'), ['faces'])).toBe('faces');
  });

  it('leaves a refusal without a known field to the top of the form', () => {
    expect(fieldOf(refusal('body'), ['name'])).toBeNull();
    expect(fieldOf(refusal(), ['name'])).toBeNull();
    expect(fieldOf(new Error('boom'), ['name'])).toBeNull();
  });
});
