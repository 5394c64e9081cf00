import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { createGatewayApp } from './create-gateway-app.js';

const config = loadConfig({ defaultPort: 3001 });
const app = await createGatewayApp(config);
await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
