// The thin client of Anju's REST API: the session token (kept in sessionStorage, so it ends with
// the tab), Bearer authorisation, and errors turned into sentences the user can act on.
import { lang, localMessage, t } from './i18n';
import { rememberOffset } from './time';

export interface User {
  id: number;
  username: string;
  roles: string[];
  display_name: string;
  region_id: number | null;
  person_id: number | null;
  department_id: number | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

const tokenKey = 'anju.token';
const userKey = 'anju.user';

// An answer the server refused, or no answer at all (status 0).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly allowed?: string[],
    readonly reason?: string,
  ) {
    super(message);
  }
}

// What the user should read for an error: the server's message in their language, or a plain
// sentence when the server said nothing useful.
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    if (error.status === 401) return error.message ? localMessage(error.message, lang()) : t('error.session');
    if (error.message) return localMessage(error.message, lang());
    return t('error.unknown', { status: error.status });
  }
  return t('error.unknown', { status: '?' });
}

export function token(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function currentUser(): User | null {
  const text = sessionStorage.getItem(userKey);
  return text ? (JSON.parse(text) as User) : null;
}

const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

function forget(): void {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(userKey);
}

// Sends a request with the token; a refused answer throws the ApiError its body describes.
async function send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (contentType) headers['Content-Type'] = contentType;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (!response.ok) throw refused(response.status, parse(await response.text()), bearer !== null);
  return response;
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function refused(status: number, data: unknown, hadToken: boolean): ApiError {
  const error = (data as { error?: { code?: string; message?: string; field?: string; allowed?: string[]; reason?: string } })?.error;
  if (status === 401 && hadToken) {
    forget();
    signedOutListeners.forEach((l) => l());
  }
  return new ApiError(status, error?.code ?? 'http', error?.message ?? '', error?.field, error?.allowed, error?.reason);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json');
  return parse(await response.text()) as T;
}

// Sends a file as the body (a CSV import). An import with bad rows answers 400 with the rows'
// errors in the body, which the caller needs: that answer is returned, not thrown.
export async function upload<T>(path: string, file: Blob, contentType: string): Promise<{ status: number; data: T }> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: file });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const data = parse(await response.text());
  const rowErrors = response.status === 400 && data !== null && typeof data === 'object' && 'errors' in data;
  if (!response.ok && !rowErrors) throw refused(response.status, data, bearer !== null);
  return { status: response.status, data: data as T };
}

// Reads a file the token guards (an export, a snapshot) as a blob.
export async function fetchBlob(path: string): Promise<Blob> {
  return (await send('GET', path)).blob();
}

// Saves a blob under the given name through a temporary link.
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);

// A query string from the given parameters, leaving out the empty ones.
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '' && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function login(username: string, password: string): Promise<User> {
  const answer = await post<{ token: string; expires_at: string; user: User }>('/api/v1/auth/login', {
    username,
    password,
  });
  sessionStorage.setItem(tokenKey, answer.token);
  sessionStorage.setItem(userKey, JSON.stringify(answer.user));
  rememberOffset(answer.expires_at);
  return answer.user;
}

export async function logout(): Promise<void> {
  try {
    await post('/api/v1/auth/logout');
  } catch {
    // The token is forgotten here whatever the server says: the user asked to leave.
  }
  forget();
  signedOutListeners.forEach((l) => l());
}
