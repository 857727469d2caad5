import { isPrivateAddress } from '../../model/edge';
import { levels, type CommittedKey } from '../../model/nginx';
import { defineRule, type RuleContext } from '../types';
import { anchorLoc, reportOnce } from './_common';

// A TLS private key is the server's identity: whoever holds it can impersonate the server to any client that trusts
// its certificate, and decrypt recorded sessions that used a key exchange without forward secrecy (static RSA).
// One committed to the repository is held by everyone who can read it, its forks and the images built from it.

/** Names no public certificate authority issues for: a key for them stands for a local or test setup. */
function localName(n: string): boolean {
  const name = n.toLowerCase().replace(/^\*\./, '').replace(/^\[|\]$/g, '');
  if (isPrivateAddress(name) || name === '0.0.0.0' || name === '_' || name === '') return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return false;
  if (name === 'localhost' || !name.includes('.')) return true;
  return /\.(localhost|local|test|example|invalid|internal|lan|home\.arpa)$/.test(name) || /^(www\.)?example\.(com|org|net)$/.test(name);
}

/** The names the key serves: its certificate's, else the server_names of the servers that use it. */
function names(ctx: RuleContext, key: CommittedKey): string[] {
  if (key.cert && key.cert.names.length > 0) return key.cert.names;
  const where = key.directive.parent;
  return ctx.model.nginx.servers.filter((s) => where !== undefined && levels(s.block).includes(where)).flatMap((s) => s.names);
}

export default defineRule({
  meta: {
    id: 'nginx/ssl-key-in-repository',
    severity: 'medium',
    title: 'nginx loads a TLS private key that is committed to the repository',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    for (const key of ctx.model.nginx.committedKeys ?? []) {
      const served = names(ctx, key);
      const selfSigned = key.cert?.selfSigned === true;
      const local = served.length > 0 && served.every(localName);
      const why = selfSigned
        ? ` Low: its certificate (${key.cert!.path}) is self-signed, so no browser trusts it anyway; the key still must not serve a public name.`
        : local
          ? ` Low: it stands only for local or test names (${served.slice(0, 3).join(', ')}), which no public certificate authority certifies.`
          : '';
      report({
        loc: anchorLoc(ctx, key.directive),
        severity: selfSigned || local ? 'low' : undefined,
        message:
          `\`ssl_certificate_key ${key.directive.args[0]?.raw ?? ''}\` loads ${key.path}, a private key committed to the repository: anyone who can read the repository, a fork or an image built from it holds the server's key, ` +
          `and can impersonate ${served.length > 0 ? served.slice(0, 3).join(', ') : 'this server'} to clients that trust its certificate, or decrypt recorded sessions that used a key exchange without forward secrecy.${why}`,
        hint:
          'Treat this key as compromised: issue a new key and certificate (e.g. with an ACME client such as certbot), keep them out of the repository, and give them to nginx at deploy time (a mounted secret or a volume). Remove the key from the repository history too.',
      });
    }
  },
});
