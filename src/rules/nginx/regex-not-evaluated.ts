import { forEachNginxDirective } from '../../parsers/nginx/walk';
import { checkPattern, matchesAll, type PatternCheck } from '../../util/regex';
import { defineRule } from '../types';
import { conditionWords, locationMatch, rewriteInfo } from './_hsts-util';

// Regexes run in RE2 (linear time). A pattern with a feature RE2 lacks (lookaround, backreferences, …) gets a
// verdict only when its looser or stricter form decides it; otherwise the rules treat it as undecided, and this
// says so rather than letting a clean result pass for the whole truth.
const SAMPLE_URIS = ['/', '/index.html', '/a/b/c.php', '/.well-known/acme-challenge/token'];
const SCHEME_VALUES = ['http', 'https', 'on', ''];

/** Some input has no verdict (an `if` or a map entry is judged per value). */
function undecided(check: PatternCheck, inputs: string[]): boolean {
  return check.unsupported !== undefined && inputs.some((s) => check.test(s) === 'unknown');
}

/** Whether the pattern takes every URI is not known (one sample it surely misses decides). */
function everyUriUndecided(check: PatternCheck): boolean {
  return check.unsupported !== undefined && matchesAll(check, SAMPLE_URIS) === undefined;
}

export default defineRule({
  meta: {
    id: 'nginx/regex-not-evaluated',
    severity: 'info',
    title: 'An nginx regular expression could not be evaluated',
    kinds: ['nginx'],
  },
  check(ctx) {
    const seen = new Set<unknown>();
    const report = (d: Parameters<typeof ctx.report>[0]['loc'], pattern: string, check: PatternCheck, what: string) => {
      ctx.report({
        loc: d,
        message: `The regular expression \`${pattern.slice(0, 80)}\` uses ${check.unsupported}: ${what} is not known, and the checks that depend on it treated it as undecided.`,
        hint: 'Write the pattern without lookaround, backreferences, possessive quantifiers or atomic groups (an exact location, or a separate location for the exception), so it can be evaluated.',
      });
    };
    for (const c of ctx.model.nginx.configs) {
      forEachNginxDirective(c.directives, (d) => {
        if (seen.has(d)) return;
        seen.add(d);
        if (d.name === 'rewrite' && rewriteInfo(d).redirect) {
          const check = checkPattern(d.args[0]?.value ?? '', 'pcre');
          if (everyUriUndecided(check)) report(d.loc, d.args[0].value, check, 'whether this redirect applies to every request');
        } else if (d.name === 'location') {
          const { modifier, path } = locationMatch(d);
          if (modifier !== '~' && modifier !== '~*') return;
          const check = checkPattern(path, 'pcre', modifier === '~*');
          if (everyUriUndecided(check)) report(d.loc, path, check, 'whether this location takes every request');
        } else if (d.name === 'if') {
          const w = conditionWords(d);
          if (w.length !== 3 || !/^!?~\*?$/.test(w[1]) || !/^\$(scheme|https|server_port|http_x_forwarded_(proto|scheme))$/.test(w[0])) return;
          const check = checkPattern(w[2], 'pcre', w[1].endsWith('*'));
          if (undecided(check, SCHEME_VALUES)) report(d.loc, w[2], check, 'whether this condition holds for HTTP or HTTPS requests');
        } else if (d.name === 'map' && d.block) {
          const source = d.args[0]?.value;
          if (source !== '$scheme' && source !== '$https') return false;
          for (const e of d.block) {
            if (!e.name.startsWith('~')) continue;
            const caseless = e.name.startsWith('~*');
            const pattern = e.name.slice(caseless ? 2 : 1);
            const check = checkPattern(pattern, 'pcre', caseless);
            if (undecided(check, SCHEME_VALUES)) report(e.loc, pattern, check, `which value ${d.args[1]?.value ?? 'the map'} takes`);
          }
          return false;
        }
        return undefined;
      });
    }
  },
});
