export const PYTHON: string;
export function pythonRoots(): string[] | undefined;
export function listPythonFiles(roots: string[]): string[];
export function sample(files: string[], n: number): string[];
export function acceptedByCPython(files: string[]): Set<string>;
export function agreement(
  files: string[],
  accepted: Set<string>,
  parse: (text: string) => { offset: number; message: string }[],
): { count: number; disagree: { file: string; errors: { offset: number; message: string }[] }[]; bytes: number; ms: number };
