// api.js - the JSON API of vigil review (same origin; the session cookie goes along).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// api('/api/case') or api(path, {method: 'POST', body: {...}}): the parsed JSON answer;
// throws ApiError naming the server's {"error"} text or the HTTP status.
export async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', credentials: 'same-origin', headers: {} };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `vigil review does not answer (${e.message}); is it still running?`);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    let msg = (data && data.error) || `HTTP ${res.status}`;
    if (res.status === 403) msg += ' (session not valid: open the link vigil review printed)';
    throw new ApiError(res.status, msg);
  }
  return data;
}

// The blurred grey preview unless reveal is asked for: the clear one is only ever
// requested for the single image the examiner chose to see.
export const thumbUrl = (id, reveal) => `/api/thumb/${id}` + (reveal ? '?reveal=1' : '');

export const setItemCategory = (id, code) =>
  api(`/api/items/${id}/category`, { method: 'POST', body: { category: code } });

export const setClusterCategory = (cluster, code) =>
  api(`/api/clusters/${cluster}/category`, { method: 'POST', body: { category: code } });
