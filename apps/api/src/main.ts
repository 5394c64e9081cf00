import './bootstrap/tune-v8.js';
import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { MetricsServer } from '@herald/observability';
import { createApiApp } from './create-api-app.js';

const config = loadConfig({ defaultPort: 3000, defaultMetricsPort: 9464 });
const app = await createApiApp(config);
// Metrics first: a taken metrics port stops the process before it takes traffic.
if (config.metricsPort) await app.get(MetricsServer).listen(config.metricsPort, config.host);
await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
