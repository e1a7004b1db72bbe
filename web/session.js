// The signed-in token, its role and tenant: kept in sessionStorage (this tab only,
// gone when it closes), never in localStorage or a cookie.
const KEY = 'racine.session';

function load() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || {}; } catch { return {}; }
}

export const session = {
  ...load(),
  save(values) {
    Object.assign(this, values);
    sessionStorage.setItem(KEY, JSON.stringify({ token: this.token, role: this.role,
                                                 tenant: this.tenant }));
  },
  clear() {
    this.token = this.role = this.tenant = undefined;
    sessionStorage.removeItem(KEY);
  },
  get signedIn() { return Boolean(this.token && this.role); },
  get provider() { return this.role === 'admin' || this.role === 'editor'; },
};
