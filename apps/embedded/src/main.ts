import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { banner } from './banner.js';
import { createEmbeddedApp } from './create-embedded-app.js';

const config = loadConfig({ defaultPort: 3000 });
const app = await createEmbeddedApp(config);
await app.listen(config.port);
if (config.jwt.secret) process.stdout.write(banner(config.port, config.jwt.secret) + '\n');
