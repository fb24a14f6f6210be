// A real OpenID Connect provider (panva's oidc-provider, pinned in package-lock.json) for
// the sign-in tests, on a loopback port. Started by tests/sso/idp.py, which passes:
//   argv[2]  the port
//   argv[3]  a JSON file: {"clients": [{client_id, client_secret, redirect_uris}],
//            "accounts_file": path}
// The accounts file maps the account id typed on the provider's sign-in form (the subject
// of its tokens) to the claims it vouches for ({"email", "email_verified", ...}); it is read
// again at every sign-in, so a test can add a person while the provider runs. The sign-in
// and consent pages are the library's own development interactions: any password passes,
// as a school's identity provider would once the person has signed in there.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

function accounts() {
  return JSON.parse(readFileSync(config.accounts_file, 'utf8'));
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `test-${port}`, use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    ...client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  jwks: { keys: [signingKey] },
  claims: {
    openid: ['sub'],
    // hd (Google's Workspace domain) and tid (Microsoft's tenant) where an account has them.
    email: ['email', 'email_verified', 'xms_edov', 'hd', 'tid'],
    profile: ['given_name', 'family_name', 'name'],
  },
  pkce: { required: () => true },
  cookies: { keys: [`cookie-key-${port}`] },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { ...account, sub: id };
      },
    };
  },
});
provider.proxy = false;

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
