// Which form field an API refusal belongs to. The API names the field (`id_number`), a nested
// part (`params.hours`, `faces[0]`) or a query parameter; the form shows the message next to the
// field it knows, or above the form when it names none of them.
import { ApiError } from '../../shared/api';

export interface FormError {
  field: string | null;
  error: unknown;
}

export function fieldOf(error: unknown, fields: readonly string[]): string | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  if (fields.includes(error.field)) return error.field;
  const head = /^[^.[]+/.exec(error.field)?.[0];
  return head && fields.includes(head) ? head : null;
}
