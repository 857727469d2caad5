// The main bundle (dist/cli/main.cjs): the bin (src/cli/launch.ts) loads it for everything but --version and --help.
import { runMain } from '../cli';

runMain();
