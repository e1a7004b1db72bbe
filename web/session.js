// Who is signed in, two kinds (from GET /api/v1/me):
// - "token": a token pasted on the sign-in page, kept with its role, tenant and names in
//   sessionStorage (this tab only, gone when it closes), never in localStorage or a cookie;
// - "user": a person signed in through an OpenID Provider. Racine's session cookie is
//   HttpOnly (this code never sees it): the portal asks /api/v1/me when it loads and keeps
//   the answer in memory only.
// What the role may do (the can* getters) only hides buttons: the API decides.
const KEY = 'racine.session';

function load() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY)) || {};
    return s.token ? { kind: 'token', ...s } : {};
  } catch { return {}; }
}

const FIELDS = ['kind', 'token', 'role', 'tenant', 'name', 'tenantName', 'tenantRole', 'email'];

export const session = {
  ...load(),
  // A token's session, kept in this tab.
  save(values) {
    Object.assign(this, { kind: 'token' }, values);
    sessionStorage.setItem(KEY, JSON.stringify({ token: this.token, role: this.role,
                                                 tenant: this.tenant, name: this.name,
                                                 tenantName: this.tenantName,
                                                 tenantRole: this.tenantRole }));
  },
  // A person's session (the cookie), from GET /api/v1/me: in memory only.
  person(me) {
    this.clear();
    Object.assign(this, { kind: 'user', role: me.role, tenant: me.tenant, name: me.name,
                          email: me.email, tenantName: me.tenant_name, tenantRole: me.tenant_role });
  },
  clear() {
    for (const f of FIELDS) this[f] = undefined;
    sessionStorage.removeItem(KEY);
  },
  get isPerson() { return this.kind === 'user'; },
  get signedIn() { return Boolean(this.role && (this.kind === 'user' || this.token)); },
  // The provider's staff: they read every client's pages (viewer: read-only).
  get provider() { return ['admin', 'editor', 'viewer'].includes(this.role); },
  // Changes matrices, clients and contracts.
  get canEdit() { return this.role === 'admin' || this.role === 'editor'; },
  // Accepts an upgrade, sets a client's receivers: an editor, or a client's approver (a
  // client's token acts as an approver, the server says so in tenant_role).
  get canAccept() {
    return this.canEdit || (this.role === 'tenant' && (this.tenantRole || (this.kind === 'token' ? 'approver' : '')) === 'approver');
  },
  get canSetReceivers() { return this.canAccept; },
};
