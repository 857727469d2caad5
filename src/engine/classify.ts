import type { FileKind } from '../types';
import { nginxClassifier } from '../parsers/nginx/classify';

/**
 * How one family of deployment files is recognised. `byPath` is cheap and runs on every file: 'yes' selects the
 * file by its name alone, 'maybe' asks for its text, 'no' ends it. nginx and uwsgi plug in here as new entries.
 */
export interface FileClassifier {
  kind: FileKind;
  byPath(path: string): 'yes' | 'maybe' | 'no';
  byContent(path: string, text: string): boolean;
  /** Why a file this family's path rules picked (or asked to see) is another format: a skip reason. */
  otherFormat?(path: string, text: string): string | undefined;
}

/** The last segment of a slash-separated path. */
function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

// A file named wsgi.py or asgi.py in any folder. Plain string tests, not compiled globs: compiling costs every CLI start.
export function isWsgiName(p: string): boolean {
  const base = baseName(p);
  return base === 'wsgi.py' || base === 'asgi.py';
}

export const wsgiClassifier: FileClassifier = {
  kind: 'wsgi',
  byPath: (p) => (isWsgiName(p) ? 'yes' : p.endsWith('.py') ? 'maybe' : 'no'),
  byContent: (_p, text) => /\bget_(wsgi|asgi)_application\s*\(/.test(text),
};

// settings.py, any .py file in a folder named settings, *_settings.py and settings_*.py, in any folder.
export function isSettingsName(p: string): boolean {
  const cut = p.lastIndexOf('/');
  const base = p.slice(cut + 1);
  if (!base.endsWith('.py')) return false;
  if (base === 'settings.py' || base.endsWith('_settings.py') || base.startsWith('settings_')) return true;
  return cut >= 0 && p.slice(p.lastIndexOf('/', cut - 1) + 1, cut) === 'settings';
}

/** Names Django reads; a module assigning several of them is a settings module whatever its file name. */
const SETTING_ASSIGNMENT = /^(MIDDLEWARE|MIDDLEWARE_CLASSES|INSTALLED_APPS|ROOT_URLCONF|ALLOWED_HOSTS|SECRET_KEY|DATABASES|WSGI_APPLICATION|SECURE_[A-Z_]+|SESSION_[A-Z_]+|CSRF_[A-Z_]+|LANGUAGE_COOKIE_[A-Z_]+)\s*(:[^=\n\r\u2028\u2029]*)?(=|\+=)/gm;

export function countDjangoSettings(text: string): number {
  const names = new Set<string>();
  for (const m of text.matchAll(SETTING_ASSIGNMENT)) names.add(m[1]);
  return names.size;
}

export const djangoSettingsClassifier: FileClassifier = {
  kind: 'django-settings',
  byPath: (p) => (!p.endsWith('.py') ? 'no' : isSettingsName(p) ? 'yes' : 'maybe'),
  byContent: (_p, text) => countDjangoSettings(text) >= 3,
};

/** In order: the first classifier that accepts a file decides its kind. */
export const CLASSIFIERS: FileClassifier[] = [wsgiClassifier, djangoSettingsClassifier, nginxClassifier];

export interface Classification {
  kind: FileKind;
  /** True when the name alone selected it (a broken file of that name is still reported). */
  byName: boolean;
}

/** 'needs-text' means: read the file and call classifyText. */
export function classifyPath(p: string): Classification | 'needs-text' | undefined {
  let needsText = false;
  for (const c of CLASSIFIERS) {
    const v = c.byPath(p);
    if (v === 'yes') return { kind: c.kind, byName: true };
    if (v === 'maybe') needsText = true;
  }
  return needsText ? 'needs-text' : undefined;
}

export function classifyText(p: string, text: string): Classification | undefined {
  for (const c of CLASSIFIERS) {
    if (c.byPath(p) !== 'no' && c.byContent(p, text)) return { kind: c.kind, byName: false };
  }
  return undefined;
}

/**
 * A skip reason for a file whose path made it a candidate of a family (by extension and folder, or for a look at
 * its text) while its text is another format: reported in `skipped`, not as parse errors.
 */
export function otherFormatReason(p: string, text: string, cls: Classification | undefined): string | undefined {
  for (const c of CLASSIFIERS) {
    if (!c.otherFormat) continue;
    if (cls ? cls.kind !== c.kind : c.byPath(p) === 'no') continue;
    const why = c.otherFormat(p, text);
    if (why) return why;
  }
  return undefined;
}
