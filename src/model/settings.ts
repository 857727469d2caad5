import type { Loc } from '../types';
import type { DeploymentModel, ModelInput } from './index';
import type { SourceText } from '../parsers/source';

// Placeholder: replaced by the real evaluator.
export interface SettingsModule {
  path: string;
  source: SourceText;
  bindings: Map<string, { value: unknown; loc: Loc }>;
}

export function buildSettingsModel(_input: ModelInput, _model: DeploymentModel): SettingsModule[] {
  return [];
}
