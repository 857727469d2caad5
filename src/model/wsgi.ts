import type { DeploymentModel, ModelInput } from './index';

// Placeholder: replaced by the real analysis.
export interface WsgiModule {
  path: string;
}

export function buildWsgiModel(_input: ModelInput, _model: DeploymentModel): WsgiModule[] {
  return [];
}
