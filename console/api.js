// Calls of central's console API (docs/api.md, "Console"): the session cookie travels by itself
// (HttpOnly: this script never sees it); every write carries the session's CSRF token.
let csrf = '';

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message_en || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || '';
    this.messageVi = error.message_vi || '';
  }
}

export function setCsrf(token) { csrf = token || ''; }

export async function call(method, path, body) {
  const headers = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
