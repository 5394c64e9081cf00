import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { MetricsServer } from '@herald/observability';
import { banner } from './banner.js';
import { createEmbeddedApp } from './create-embedded-app.js';
import { prepareDataDir } from './data-dir.js';

// A laptop's dev server: loopback only unless HERALD_HOST says otherwise.
const config = loadConfig({ defaultPort: 3000, defaultHost: '127.0.0.1', defaultMetricsPort: 9464 });
prepareDataDir(config);
const app = await createEmbeddedApp(config);
// Metrics first: a taken metrics port stops the process before it takes traffic.
if (config.metricsPort) await app.get(MetricsServer).listen(config.metricsPort, config.host);
await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
// Tokens are printed only when they are signed with Herald's own dev secret:
// never an operator's secret, never into a production log.
if (config.jwt.secretGenerated && config.jwt.secret && config.env !== 'production') {
  process.stdout.write(banner(config.port, config.jwt.secret) + '\n');
}
