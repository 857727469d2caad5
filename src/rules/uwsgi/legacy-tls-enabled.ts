import { flagOn, type UwsgiOption } from '../../model/deploy/uwsgi';
import { defineRule } from '../types';
import { optionsNamed, optionText, reportOnce, TLS_LISTENERS, uwsgiRuns } from './_util';

// core/ssl.c: uWSGI disables SSLv2 always, SSLv3 unless ssl-enable-sslv3 (alias ssl-enable3), and TLSv1 since 2.0.17.1
// unless ssl-enable-tlsv1; its own help text calls both "insecure". A flag set to false/off/no/0 stays off.

const NAMES: Record<string, string> = { 'ssl-enable-sslv3': 'SSLv3', 'ssl-enable3': 'SSLv3', 'ssl-enable-tlsv1': 'TLSv1.0' };

export default defineRule({
  meta: {
    id: 'uwsgi/legacy-tls-enabled',
    severity: 'high',
    title: 'uwsgi re-enables SSLv3 or TLSv1.0 (`ssl-enable-sslv3`, `ssl-enable-tlsv1`)',
    kinds: ['uwsgi'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    // The same line can be read by several runs (a shared file included by a config that opens a listener, and
    // read on its own): the run that opens a TLS listener decides.
    const listeners = new Map<string, UwsgiOption>();
    for (const run of uwsgiRuns(ctx)) {
      const l = run.options.find((x) => TLS_LISTENERS.includes(x.name));
      if (!l) continue;
      for (const o of run.options) if (NAMES[o.name]) listeners.set(`${o.loc.path}:${o.loc.line}`, l);
    }
    for (const { o } of optionsNamed(ctx, Object.keys(NAMES))) {
      if (o.opaque || !flagOn(o.value)) continue;
      const proto = NAMES[o.name];
      const listener = listeners.get(`${o.loc.path}:${o.loc.line}`);
      const attack = proto === 'SSLv3' ? 'POODLE breaks SSLv3 CBC encryption' : 'TLS 1.0 has no AEAD suites, its CBC suites are open to BEAST/Lucky13-style attacks, and RFC 8996 deprecates it';
      report({
        loc: o.loc,
        message: listener
          ? `\`${optionText(o)}\` lets uWSGI's TLS listener (\`${optionText(listener)}\` at ${listener.loc.path}:${listener.loc.line}) accept ${proto}, which uWSGI itself disables by default and labels insecure: ${attack}.${o.conditional ? ' (The line is inside an if-/for block, so it applies only where that condition holds.)' : ''}`
          : `\`${optionText(o)}\` enables ${proto}, which uWSGI disables by default and labels insecure (${attack}); this configuration opens no TLS listener of its own (https, https-socket, ssl-socket), so the flag takes effect only where another file adds one.`,
        hint: `Remove \`${o.name}\`: uWSGI's default (TLS 1.1 and later, as OpenSSL allows) is what clients use; anything that cannot do TLS 1.2 is past support.`,
        severity: listener ? undefined : 'low',
      });
    }
  },
});
