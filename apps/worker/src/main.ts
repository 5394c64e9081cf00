import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { MetricsServer } from '@herald/observability';
import { createWorkerApp } from './create-worker-app.js';

const config = loadConfig({ defaultPort: 3002, defaultMetricsPort: 9466 });
const app = await createWorkerApp(config);
// Metrics first: a taken metrics port stops the process before it reports ready.
if (config.metricsPort) await app.get(MetricsServer).listen(config.metricsPort, config.host);
await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
