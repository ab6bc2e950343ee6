// The gateway's API, called with the API key of this browser tab (sessionStorage: gone when the tab closes).

const KEY = 'personalization.apiKey';

export const savedKey = () => sessionStorage.getItem(KEY);
export const saveKey = key => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

/** A refusal or failure of the API, with the problem's words. */
export class ApiError extends Error {
  constructor(status, problem) {
    const errors = problem?.errors ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ') : '';
    super(`${status} ${problem?.title ?? ''}${problem?.detail ? ': ' + problem.detail : ''}${errors ? ' (' + errors + ')' : ''}`);
    this.status = status;
  }
}

/** Calls the API at a path of /v1 with the saved key; the parsed JSON answer, or null for 204. */
export async function call(path, { method = 'GET', body, key = savedKey() } = {}) {
  const headers = { 'X-Api-Key': key ?? '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

/** A query string of the defined values. */
export function query(values) {
  const defined = Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return defined.length ? '?' + new URLSearchParams(defined).toString() : '';
}

export const segment = encodeURIComponent;
