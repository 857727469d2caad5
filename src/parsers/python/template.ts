import { parsePythonOnce } from './scan-cache';

const MARKS = /\{\{|\{%/;

/**
 * A Jinja or cookiecutter template of a Python file (`{{ project_name }}/settings.py`, `SECRET_KEY = '{{ key }}'`):
 * template marks in its path, or in a text that is not valid Python. Valid Python with `{{` inside a string
 * (a format string, a Django template literal) is not a template.
 */
export function isPythonTemplate(path: string, text: string): boolean {
  if (MARKS.test(path)) return true;
  return MARKS.test(text) && parsePythonOnce(text).errors.length > 0;
}
