import { TcpProxy } from './tcp-proxy.js';
import { startTestSystem, type TestSystem, type TestSystemOptions } from './test-system.js';

/** A system whose apps reach the shared Postgres through a proxy the test can cut or freeze. */
export interface SystemBehindProxy {
  proxy: TcpProxy;
  sys: TestSystem;
  close(): Promise<void>;
}

export async function startBehindPostgresProxy(options: TestSystemOptions = {}): Promise<SystemBehindProxy> {
  const proxy = await new TcpProxy({ host: '127.0.0.1', port: 5432 }).start();
  try {
    const sys = await startTestSystem({
      ...options,
      wrapDatabaseUrl: (url) => Object.assign(new URL(url), { port: String(proxy.port) }).toString(),
    });
    return {
      proxy,
      sys,
      close: async () => {
        proxy.thaw();
        proxy.restore();
        await sys.close();
        await proxy.close();
      },
    };
  } catch (err) {
    await proxy.close();
    throw err;
  }
}
