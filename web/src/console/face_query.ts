// An embedding pasted by the user: a JSON array of finite numbers, with or without its brackets
// (a list copied out of a log often loses them). The API checks the length (128 or 512).
export function parseEmbedding(text: string): number[] | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed.startsWith('[') ? trimmed : `[${trimmed}]`);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.every((n) => typeof n === 'number' && Number.isFinite(n)) ? (value as number[]) : null;
}
