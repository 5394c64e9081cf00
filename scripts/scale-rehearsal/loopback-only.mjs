// Preloaded (`node --import`) into the api and gateway processes the
// rehearsal spawns: their main.ts calls listen(PORT), which binds every
// interface, and the rehearsal stays on loopback. Plain JS: it runs before
// any loader. (Same idea as test/support/loopback-only.mjs; the script does
// not reach into test/.)
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const port = args[0];
  const isPort = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port));
  if (isPort && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
