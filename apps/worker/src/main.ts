import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { createWorkerApp } from './create-worker-app.js';

const config = loadConfig({ defaultPort: 3002 });
const app = await createWorkerApp(config);
await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
