/*
 * The demo page's two inline scripts, plain browser JavaScript kept as
 * strings so tsc carries them into dist/ (the CSP allows each by its hash).
 * Everything from the server is put on the page with textContent, never as
 * HTML, so a notification's title cannot inject markup.
 */

import { INBOX_PANEL_SCRIPT } from './demo-inbox-panel.js';
import { JOBS_PANEL_SCRIPT } from './demo-jobs-panel.js';

/** Session storage key of the token taken from `?token=`. */
export const TOKEN_KEY = 'herald-demo-token';

/**
 * Runs first, in <head>, before anything else is fetched: moves `?token=`
 * out of the address bar (and so out of history, bookmarks, Referer and any
 * later request line) into this tab's session storage.
 */
export const HEAD_SCRIPT = `(function () {
  var url = new URL(location.href);
  var token = url.searchParams.get('token');
  if (token === null) return;
  window.heraldDemoToken = token;
  try { sessionStorage.setItem('${TOKEN_KEY}', token); } catch (e) { /* storage off: this load still works */ }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
})();`;

/** The inbox: only the SDK bundle, no framework. */
export const MODULE_SCRIPT = `import { HeraldClient } from './sdk/herald-client.js';

const $ = (id) => document.getElementById(id);
const config = JSON.parse($('demo-config').textContent);
// Test hooks (?ws=, ?pollMs=, ?backoffCapMs=) exist outside production only:
// a crafted link must not send a production user's ticket elsewhere.
const params = config.dev ? new URLSearchParams(location.search) : new URLSearchParams();
const demo = (window.heraldDemo = { states: [] });
// The push and preferences script (demo-push.script.ts) calls the API with the same token.
demo.getToken = getToken;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function claims(jwt) {
  try {
    return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}
const expiresSoon = (jwt) => !jwt || !(claims(jwt).exp * 1000 - Date.now() > 60000);

async function devToken(path) {
  const res = await fetch(path, { method: 'POST' });
  if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
  return (await res.json()).token;
}

function storedToken() {
  try {
    return window.heraldDemoToken || sessionStorage.getItem('${TOKEN_KEY}');
  } catch {
    return window.heraldDemoToken || null;
  }
}

let token = storedToken();
const demoSignIn = !token && config.dev;
async function getToken() {
  if (demoSignIn && expiresSoon(token)) token = await devToken('demo/dev-token');
  if (!token) throw new Error('no token');
  return token;
}

function showState(state) {
  const text = state === 'open' ? 'connected' : state;
  const node = $('connection-state');
  node.textContent = text;
  node.dataset.state = text;
  demo.states.push(text);
}

function showStatus(message) {
  $('status').textContent = message;
  $('status').hidden = !message;
}

function showUnread(count) {
  const badge = $('unread-badge');
  badge.textContent = String(count);
  badge.hidden = count === 0;
  $('bell').setAttribute('aria-label', 'Notifications, ' + count + ' unread');
}

function timeOf(iso) {
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const client = new HeraldClient({
  url: new URL('.', location.href).href,
  wsUrl: params.get('ws') || undefined,
  getToken,
  socketAuth: 'ticket', // the JWT never goes into a socket URL
  pollIntervalMs: Number(params.get('pollMs')) || undefined,
  backoffCapMs: Number(params.get('backoffCapMs')) || undefined,
});
demo.client = client;
${JOBS_PANEL_SCRIPT}
${INBOX_PANEL_SCRIPT}

// Without the socket no frame says what changed: ask the api instead.
async function refreshUnreadIfOffline() {
  if (client.state !== 'open') showUnread(await client.unreadCount());
}

async function markRead(id) {
  try {
    await client.inbox.read(id);
    await refreshUnreadIfOffline();
  } catch (error) {
    showStatus('Could not mark as read: ' + error.message);
  }
}

client.on('state', showState);
client.on('unread', showUnread);
client.on('welcome', (w) => {
  $('current-user').textContent = w.userId;
});
client.on('error', (error) => {
  console.warn('herald:', error.name, error.message);
  if (error.name === 'HeraldCloseError') showStatus('The server closed the connection: ' + error.message);
  stopIfRefused(error);
});

// A refused token stays refused: stop retrying instead of asking forever.
function stopIfRefused(error) {
  if (error.name !== 'HeraldApiError' || error.status !== 401) return false;
  client.close();
  showStatus('The token was refused (' + error.message + '): open the page with a fresh ?token=.');
  return true;
}

$('bell').addEventListener('click', () => {
  const panel = $('inbox-panel');
  panel.hidden = !panel.hidden;
  $('bell').setAttribute('aria-expanded', String(!panel.hidden));
  render(); // reports what is now shown as seen
  if (!panel.hidden) focusTab(currentTab);
});
// Escape closes the panel and gives focus back to the bell.
$('inbox-panel').addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || $('inbox-panel').hidden) return;
  $('inbox-panel').hidden = true;
  $('bell').setAttribute('aria-expanded', 'false');
  $('bell').focus();
});

$('mark-all-read').addEventListener('click', async () => {
  try {
    await client.inbox.readAll();
    await refreshUnreadIfOffline();
  } catch (error) {
    showStatus('Could not mark all as read: ' + error.message);
  }
});

const form = $('send-form');
if (form) {
  let serviceToken = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const result = $('send-result');
    try {
      if (expiresSoon(serviceToken)) serviceToken = await devToken('demo/dev-service-token');
      const res = await fetch('v1/notifications', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + serviceToken, 'content-type': 'application/json' },
        body: JSON.stringify({
          recipients: [claims(await getToken()).sub],
          type: 'demo',
          title: data.get('title'),
          body: data.get('body') || undefined,
          severity: data.get('severity'),
          // Inbox fields only when filled in, so the form also works against a server without them.
          ...Object.fromEntries(['category', 'actor', 'groupKey'].map((k) => [k, data.get(k) || undefined])),
        }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.message || 'HTTP ' + res.status);
      result.textContent = 'Sent as #' + body.notifications[0].seq;
    } catch (error) {
      result.textContent = 'Not sent: ' + error.message;
    }
  });
}

showState('connecting');
if (!token && !config.dev) {
  showState('closed');
  showStatus('Open this page as /?token=<a user JWT> to see that user\\'s inbox.');
} else {
  try {
    $('current-user').textContent = claims(await getToken()).sub || '?';
    client.connect();
    loadedTabs.add('all');
    await client.inbox.load({}, { limit: 20 });
  } catch (error) {
    if (!stopIfRefused(error)) showStatus('Could not load the inbox: ' + error.message);
  }
}
`;
