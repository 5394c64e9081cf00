/*
 * Web Push and preferences on the demo page: a third inline script (its own
 * CSP hash) and the service worker the page registers at /sw.js. Plain
 * browser JavaScript kept as strings, like demo-page.script.ts.
 */

/**
 * The service worker: shows each push (tag = groupKey, so a group's pushes
 * replace each other, or the id, so a retried push replaces its first copy)
 * and, on click, has the page mark it through the API: interacted (`link`, so
 * also read and seen) when the push had a link, read when it had none:
 * an open tab is told by message, otherwise a new tab opens with
 * ?interacted=<id>. The worker holds no token.
 */
export const SERVICE_WORKER = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('push', (event) => {
  let p = {};
  try { p = event.data ? event.data.json() : {}; } catch (e) { p = { title: event.data ? event.data.text() : 'Herald' }; }
  event.waitUntil(self.registration.showNotification(p.title || 'Herald', {
    body: p.body || '',
    tag: p.groupKey || p.id || 'herald',
    renotify: Boolean(p.groupKey),
    data: { id: p.id, link: p.link },
  }));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const id = data.id;
  const viaLink = data.link ? '1' : '';
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const w of windows) w.postMessage({ type: 'herald-push-click', id: id, viaLink: viaLink });
    if (windows.length) return windows[0].focus();
    return self.clients.openWindow('/?interacted=' + encodeURIComponent(id) + '&link=' + viaLink);
  })());
});
`;

/** The page's side: turn push on for this browser, mark clicked pushes, and the preferences panel. */
export const PUSH_SCRIPT = `const $ = (id) => document.getElementById(id);
const demo = window.heraldDemo;
const say = (id, text) => { $(id).textContent = text; };

async function api(method, path, body) {
  const token = await demo.getToken();
  const headers = { authorization: 'Bearer ' + token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error((json && json.message) || 'HTTP ' + res.status);
  return json;
}

function keyBytes(base64url) {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

demo.interacted = [];
// A click on a push with a link is the link used (interacted, so read and seen); on one without, a read.
async function interacted(id, viaLink) {
  if (!id) return;
  try {
    if (viaLink) await api('POST', 'v1/notifications/' + encodeURIComponent(id) + '/interact', { interaction: 'link' });
    else await api('POST', 'v1/notifications/' + encodeURIComponent(id) + '/read');
    demo.interacted.push(id);
  } catch (error) {
    say('push-status', 'Could not mark it: ' + error.message);
  }
}
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'herald-push-click') interacted(event.data.id, event.data.viaLink);
  });
}
const clicked = new URLSearchParams(location.search).get('interacted');
if (clicked) interacted(clicked, new URLSearchParams(location.search).get('link'));

$('push-enable').addEventListener('click', async () => {
  try {
    if (!('serviceWorker' in navigator) || !('PushManager' in window)) throw new Error('this browser has no Web Push');
    if ((await Notification.requestPermission()) !== 'granted') throw new Error('notifications are not allowed for this page');
    const registration = await navigator.serviceWorker.register('sw.js');
    await navigator.serviceWorker.ready;
    demo.pushWorker = true;
    const { publicKey } = await api('GET', 'v1/push-subscriptions/vapid-public-key');
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    await api('POST', 'v1/push-subscriptions', subscription.toJSON());
    say('push-status', 'Push is on for this browser.');
  } catch (error) {
    say('push-status', 'Push is off: ' + error.message);
  }
});

async function showPreferences() {
  const list = $('preference-list');
  try {
    const p = await api('GET', 'v1/preferences');
    list.replaceChildren();
    for (const d of p.defaults) {
      const li = document.createElement('li');
      li.textContent = d.category + ' / ' + d.channel + ': ' + (d.enabled ? 'on' : 'off') + ' by default' + (d.critical ? ' (critical)' : '');
      list.append(li);
    }
    for (const c of p.preferences) {
      const li = document.createElement('li');
      li.textContent = c.category + (c.type === '*' ? '' : ' / ' + c.type) + ' / ' + c.channel + ': ' + (c.enabled ? 'on' : 'off');
      li.dataset.testid = 'preference';
      list.append(li);
    }
  } catch (error) {
    say('preference-status', 'Could not load preferences: ' + error.message);
  }
}

$('preference-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  try {
    await api('PUT', 'v1/preferences', { preferences: [{
      category: data.get('category') || 'general',
      type: data.get('type') || '*',
      channel: data.get('channel'),
      enabled: data.get('enabled') === 'on',
    }] });
    say('preference-status', 'Saved.');
    await showPreferences();
  } catch (error) {
    say('preference-status', 'Not saved: ' + error.message);
  }
});
showPreferences();
`;

/** The page's push and preferences section. */
export const PUSH_SECTION = `
  <section class="card">
    <h2>Browser push</h2>
    <p>Get notifications while this page is closed (asks for permission; the push is encrypted end to end).</p>
    <button id="push-enable" class="primary" type="button" data-testid="push-enable">Turn on push</button>
    <span id="push-status" role="status" data-testid="push-status"></span>
  </section>
  <section class="card">
    <h2>Preferences</h2>
    <ul id="preference-list" data-testid="preference-list"></ul>
    <form id="preference-form" data-testid="preference-form">
      <label>Category <input name="category" value="general" maxlength="64"></label>
      <label>Type <input name="type" value="*" maxlength="64"></label>
      <label>Channel
        <select name="channel"><option>in_app</option><option>web_push</option><option>webhook</option></select>
      </label>
      <label><input type="checkbox" name="enabled"> on</label>
      <button class="primary" type="submit">Save</button>
      <span id="preference-status" class="wide" role="status" data-testid="preference-status"></span>
    </form>
  </section>`;
