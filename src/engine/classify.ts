import { minimatch } from 'minimatch';
import type { FileKind } from '../types';

/**
 * How one family of deployment files is recognised. `byPath` is cheap and runs on every file: 'yes' selects the
 * file by its name alone, 'maybe' asks for its text, 'no' ends it. nginx and uwsgi plug in here as new entries.
 */
export interface FileClassifier {
  kind: FileKind;
  byPath(path: string): 'yes' | 'maybe' | 'no';
  byContent(path: string, text: string): boolean;
}

const glob = (p: string, patterns: string[]) => patterns.some((g) => minimatch(p, g, { dot: true, nocase: false }));

const WSGI_NAMES = ['**/wsgi.py', 'wsgi.py', '**/asgi.py', 'asgi.py'];

export const wsgiClassifier: FileClassifier = {
  kind: 'wsgi',
  byPath: (p) => (glob(p, WSGI_NAMES) ? 'yes' : p.endsWith('.py') ? 'maybe' : 'no'),
  byContent: (_p, text) => /\bget_(wsgi|asgi)_application\s*\(/.test(text),
};

const SETTINGS_NAMES = [
  '**/settings.py', 'settings.py', '**/settings/*.py', 'settings/*.py', '**/*_settings.py', '*_settings.py',
  '**/settings_*.py', 'settings_*.py',
];

/** Names Django reads; a module assigning several of them is a settings module whatever its file name. */
const SETTING_ASSIGNMENT = /^(MIDDLEWARE|MIDDLEWARE_CLASSES|INSTALLED_APPS|ROOT_URLCONF|ALLOWED_HOSTS|SECRET_KEY|DATABASES|WSGI_APPLICATION|SECURE_[A-Z_]+|SESSION_[A-Z_]+|CSRF_[A-Z_]+|LANGUAGE_COOKIE_[A-Z_]+)\s*(:[^=\n]*)?(=|\+=)/gm;

export function countDjangoSettings(text: string): number {
  const names = new Set<string>();
  for (const m of text.matchAll(SETTING_ASSIGNMENT)) names.add(m[1]);
  return names.size;
}

export const djangoSettingsClassifier: FileClassifier = {
  kind: 'django-settings',
  byPath: (p) => (!p.endsWith('.py') ? 'no' : glob(p, SETTINGS_NAMES) ? 'yes' : 'maybe'),
  byContent: (_p, text) => countDjangoSettings(text) >= 3,
};

/** In order: the first classifier that accepts a file decides its kind. */
export const CLASSIFIERS: FileClassifier[] = [wsgiClassifier, djangoSettingsClassifier];

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
