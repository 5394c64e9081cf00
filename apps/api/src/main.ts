import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { createApiApp } from './create-api-app.js';

const config = loadConfig({ defaultPort: 3000 });
const app = await createApiApp(config);
await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
