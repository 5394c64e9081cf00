// Preloaded (`node --import`) into the api and gateway processes the
// harnesses spawn (HeraldProcess): their main.ts calls listen(PORT), which
// binds every interface, and test, bench and rehearsal processes must stay
// on loopback. Plain JS: it runs before any loader.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const port = args[0];
  const isPort = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port));
  // listen(port) or listen(port, callback): add the host; an explicit host is kept.
  if (isPort && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
