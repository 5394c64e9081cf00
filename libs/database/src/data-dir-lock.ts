import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Why the embedded database could not be opened. */
export class DataDirInUseError extends Error {}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims a PGlite data directory for this process until it exits, through
 * `<dir>.lock` holding its pid. PGlite takes no lock of its own, and two
 * processes on one directory (`npm start` and `npm run herald`, say) each
 * keep their own buffers over the same files: the later writer corrupts
 * what the earlier one wrote. A lock left by a process that is gone, or by
 * this process itself (a container that restarts as pid 1), is taken over.
 * Returns the release, which the DataSource's destroy() calls.
 */
export function lockDataDir(dir: string): () => void {
  const file = `${dir}.lock`;
  // The data dir holds the dev secret too: kept to its owner, as embedded mode makes it.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      // Nest re-raises SIGTERM after shutdown, and a process killed by a signal emits no 'exit': hence both.
      const unlock = () => release(file);
      process.once('exit', unlock);
      return unlock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holder === process.pid) return () => release(file);
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new DataDirInUseError(`the embedded database ${dir} is in use by process ${holder} (stop it first; if no Herald runs there, delete ${file})`);
    }
    unlinkSync(file); // its process is gone

  }
  throw new DataDirInUseError(`could not lock the embedded database ${dir}`);
}

function release(file: string): void {
  try {
    if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
  } catch {
    // already gone
  }
}
