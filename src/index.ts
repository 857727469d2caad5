// Action entry point: action.yml runs dist/index.js, the bundle of this file. run() reports every error itself.
import { run } from './main';

void run();
