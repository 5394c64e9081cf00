import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { npmScript, readRepoFile } from './support/repo.js';

/** Dockerfile instructions with line continuations joined and comments dropped. */
const instructions = readRepoFile('Dockerfile')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([]);
  acc.at(-1)?.push(line);
  return acc;
}, []);
const runtime = stages.at(-1) ?? [];
const json = (line: string | undefined, keyword: string) => JSON.parse(line!.slice(line!.indexOf(keyword) + keyword.length)) as string[];

describe('Dockerfile', () => {
  it('builds in stages: full deps for the build, production deps for the runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const all = instructions.join('\n');
    expect(all).toMatch(/RUN npm ci\b/);
    expect(all).toMatch(/npm run build/);
    expect(all).toMatch(/npm (ci|prune) --omit=dev/);
    expect(runtime[0]).toMatch(/^FROM \S+ AS runtime$/);
    expect(instructions[0]).toMatch(/^ARG NODE_IMAGE=node:20-(bookworm-slim|alpine)$/);
  });

  it('copies only package.json, production node_modules and dist into the runtime', () => {
    const copies = runtime.filter((l) => l.startsWith('COPY'));
    expect(copies).toEqual([
      'COPY package.json ./',
      'COPY --from=prod-deps /app/node_modules ./node_modules',
      'COPY --from=build /app/dist ./dist',
    ]);
  });

  it('runs production mode as the unprivileged node user', () => {
    expect(runtime.some((l) => /^ENV NODE_ENV=production\b/.test(l))).toBe(true);
    expect(runtime.filter((l) => l.startsWith('USER'))).toEqual(['USER node']);
  });

  it('starts the api by default with the contract command', () => {
    expect(json(runtime.find((l) => l.startsWith('CMD')), 'CMD').join(' ')).toBe(npmScript('start:api'));
  });

  describe('HEALTHCHECK', () => {
    const check = json(runtime.find((l) => l.startsWith('HEALTHCHECK')), ' CMD ');
    let server: Server;
    let status = 200;

    beforeAll(async () => {
      server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const run = async () => {
      const port = String((server.address() as AddressInfo).port);
      const [cmd, ...args] = check;
      return promisify(execFile)(cmd, args, { env: { ...process.env, PORT: port }, timeout: 5000 });
    };

    it('passes while /healthz on $PORT answers 200', async () => {
      status = 200;
      await expect(run()).resolves.toBeDefined();
    });

    it('fails when /healthz answers an error', async () => {
      status = 503;
      await expect(run()).rejects.toThrow();
    });
  });
});

describe('.dockerignore', () => {
  const sut = readRepoFile('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('keeps local installs, builds, git and secrets out of the build context', () => {
    expect(sut).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', '.env', '.herald']));
  });

  it('keeps everything `npm ci && npm run build` needs', () => {
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'apps', 'libs']) {
      expect(sut).not.toContain(needed);
    }
  });
});
