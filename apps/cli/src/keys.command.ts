import { Command, Option } from 'commander';
import { API_KEY_PREFIX, generateApiKey } from '@herald/auth';
import { SERVICE_SCOPES } from '@herald/contracts';
import type { ApiKeyInfo, ApiKeysRepository } from '@herald/database';

/** A key's name: what `keys list` shows and what its principal (`apikey:<name>`) is called. */
const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Where the commands write: the key and tables to `out`, notes to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The repository, opened only once a command has parsed (so --help needs no database). */
export type OpenKeys = () => Promise<ApiKeysRepository>;

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function table(keys: ApiKeyInfo[]): string[] {
  const rows = [
    ['ID', 'NAME', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'],
    ...keys.map((k) => [k.id, k.name, k.scopes.join(','), iso(k.createdAt), iso(k.lastUsedAt), iso(k.revokedAt)]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

const asJson = (k: ApiKeyInfo) => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** `keys create | list | revoke`, on an API keys repository opened on demand. */
export function keysCommand(open: OpenKeys, io: CliOutput): Command {
  const keys = new Command('keys').description('API keys for services (sent as Authorization: Bearer <key>)');

  keys
    .command('create')
    .description('create a key and print it, once: only its SHA-256 is stored')
    .requiredOption('--name <name>', 'what the key is for, e.g. billing (1-64 of a-z 0-9 _ . -)')
    .addOption(new Option('--scope <scope...>', 'what the key may do (repeatable)').choices(SERVICE_SCOPES).makeOptionMandatory())
    .action(async (o: { name: string; scope: string[] }) => {
      if (!NAME_PATTERN.test(o.name)) throw new CliError(`--name must match ${NAME_PATTERN.source}`);
      const fresh = generateApiKey();
      const scopes = [...new Set(o.scope)];
      const info = await (await open()).create({ id: fresh.id, name: o.name, keyHash: fresh.hash, scopes });
      io.out(fresh.key);
      io.err(`created API key ${info.id} "${info.name}" with ${scopes.join(', ')}.`);
      io.err('Store it now: Herald keeps only its hash and cannot show it again.');
    });

  keys
    .command('list')
    .description('every key, revoked ones included (never the key itself)')
    .option('--json', 'one JSON array instead of a table')
    .action(async (o: { json?: boolean }) => {
      const all = await (await open()).list();
      if (o.json) io.out(JSON.stringify(all.map(asJson)));
      else if (all.length === 0) io.err('no API keys');
      else for (const line of table(all)) io.out(line);
    });

  keys
    .command('revoke')
    .description('refuse a key from now on (every api replica within 2 s)')
    .argument('<id>', `the key's id as listed (or the key's ${API_KEY_PREFIX}<id> start)`)
    .action(async (raw: string) => {
      const id = raw.startsWith(API_KEY_PREFIX) ? raw.slice(API_KEY_PREFIX.length).split('_')[0] : raw;
      const info = await (await open()).revoke(id);
      if (!info) throw new CliError(`no API key with id ${id}`);
      io.out(`revoked ${info.id} "${info.name}" at ${iso(info.revokedAt)}`);
    });

  return keys;
}

/** A failure the user caused: printed without a stack, exit code 1. */
export class CliError extends Error {}
