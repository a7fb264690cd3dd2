// The REST API as the page calls it: the user's token (if any) as a Bearer header, JSON in and out,
// and every refusal as an ApiError carrying the status and the problem+json detail.

const TOKEN_KEY = 'sluice.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: (value) => value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(`${status} ${title}${detail ? ': ' + detail : ''}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function call(method, path) {
  const headers = {Accept: 'application/json'};
  const t = token.get();
  if (t) {
    headers.Authorization = 'Bearer ' + t;
  }
  let response;
  try {
    response = await fetch(path, {method, headers, cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    throw new ApiError(0, 'Unreachable', 'the control plane did not answer (' + e.message + ')');
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const title = body && body.title ? body.title : response.statusText || 'Error';
    throw new ApiError(response.status, title, body && body.detail ? body.detail : '');
  }
  return body;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path) => call('POST', path),
};

/** A path segment, escaped: namespaces and names are checked by the server, but never trusted here. */
export const segment = encodeURIComponent;
