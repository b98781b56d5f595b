// A real OpenID Connect provider for the hub's sign-in tests (npm `oidc-provider`).
// Environment: PORT, REDIRECT_URI (the hub's callback), CLIENT_ID, CLIENT_SECRET.
// Logins are accepted by the development interactions with any password; the account is
// the login name and its claims come from ACCOUNTS below.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  alice: { email: 'alice.martin@insee.fr', name: 'Alice Martin', groups: ['agora-admins'], organisation: 'insee' },
  bruno: { email: 'bruno.garcia@inegi.org.mx', name: 'Bruno García', groups: ['agora-stewards-inegi'], organisation: 'inegi' },
  chris: { email: 'chris.doe@example.org', name: 'Chris Doe', groups: [] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID || 'agora-hub',
    client_secret: process.env.CLIENT_SECRET || 'agora-hub-secret',
    redirect_uris: [process.env.REDIRECT_URI || 'http://127.0.0.1:8080/auth/callback'],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_URI || 'http://127.0.0.1:8080/'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'organisation'],
    groups: ['groups'],
  },
  cookies: { keys: ['agora-test-cookie-key'] },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...account };
      },
    };
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
