import type { FileKind } from '../types';
import type { DeploymentModel, ModelInput } from './index';
import { findEnvironWrites, type EnvironWrite } from './python/environ-writes';
import { sharedEvaluator } from './settings';

/** Facts about one Python deployment file (settings module or wsgi.py/asgi.py) read from its syntax tree. */
export interface PythonFileFacts {
  path: string;
  kind: FileKind;
  environWrites: EnvironWrite[];
}

export type WsgiModule = PythonFileFacts;

/** Parses every selected Python file (once, shared with the settings evaluator) and collects environ writes. */
export function buildPythonFacts(input: ModelInput, model: DeploymentModel): PythonFileFacts[] {
  const ev = sharedEvaluator(input, model);
  const out: PythonFileFacts[] = [];
  for (const f of input.files) {
    if (f.kind !== 'wsgi' && f.kind !== 'django-settings') continue;
    const mod = ev.evaluate(f.path);
    if (!mod) continue;
    out.push({ path: f.path, kind: f.kind, environWrites: mod.tree ? findEnvironWrites(mod.tree, mod.source) : [] });
  }
  return out;
}
