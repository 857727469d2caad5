/**
 * Entry point of a parse worker thread (bundled on its own next to the action and the CLI, as
 * parse-worker/index.js). It claims texts one at a time from a shared counter, parses them and posts plain results;
 * see parse-pool.ts. It reads no file and evaluates nothing.
 */
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import { parsePython } from '../parsers/python/parse';
import { toPlain } from '../parsers/python/transfer';

export interface WorkerInput {
  port: MessagePort;
  /** [0]: results posted (the main thread waits on it); [1]: next task to claim. */
  control: SharedArrayBuffer;
  texts: string[];
}

export interface WorkerResult {
  index: number;
  ms: number;
  plain: ReturnType<typeof toPlain>;
}

function run(input: WorkerInput): void {
  const control = new Int32Array(input.control);
  for (;;) {
    const index = Atomics.add(control, 1, 1);
    if (index >= input.texts.length) break;
    const text = input.texts[index];
    const started = performance.now();
    const parsed = parsePython(text);
    const result: WorkerResult = { index, ms: performance.now() - started, plain: toPlain(text, parsed) };
    input.port.postMessage(result);
    Atomics.add(control, 0, 1);
    Atomics.notify(control, 0);
  }
  input.port.close();
}

if (!isMainThread && workerData?.control) run(workerData as WorkerInput);
