// Imported first by main.ts: V8's flags are set before anything else allocates.
import { tuneV8 } from './v8-flags.js';

tuneV8();
