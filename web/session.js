// The signed-in token, its role and tenant, and their names (from GET /api/v1/me): kept
// in sessionStorage (this tab only, gone when it closes), never in localStorage or a
// cookie.
const KEY = 'racine.session';

function load() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || {}; } catch { return {}; }
}

export const session = {
  ...load(),
  save(values) {
    Object.assign(this, values);
    sessionStorage.setItem(KEY, JSON.stringify({ token: this.token, role: this.role,
                                                 tenant: this.tenant, name: this.name,
                                                 tenantName: this.tenantName }));
  },
  clear() {
    this.token = this.role = this.tenant = this.name = this.tenantName = undefined;
    sessionStorage.removeItem(KEY);
  },
  get signedIn() { return Boolean(this.token && this.role); },
  get provider() { return this.role === 'admin' || this.role === 'editor'; },
};
