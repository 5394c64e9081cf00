/*
 * The demo inbox's panel: tabs (All, Unread, Archived, one per category
 * present) with a count each, items with their action buttons, archive, a
 * snooze menu, grouped entries, and "seen" reported for what is shown.
 * Built for keyboard and screen readers: a WAI-ARIA tablist (arrow keys,
 * Home, End), a menu button for snooze (arrows, Escape), labelled buttons,
 * a polite live region for new items, and focus kept on the list when an
 * item leaves it. Plain browser JavaScript kept as a string and spliced into
 * the page's module script; server values go on the page as textContent.
 */

import { INBOX_ITEM_SCRIPT } from './demo-inbox-item.js';

/** Inside #inbox-panel, below its head. */
export const INBOX_PANEL_HTML = `
      <div id="inbox-tabs" role="tablist" aria-label="Inbox views" data-testid="inbox-tabs"></div>
      <div id="inbox-tabpanel" role="tabpanel" tabindex="0" data-testid="inbox-tabpanel">
        <ul id="notification-list" data-testid="notification-list"></ul>
        <p id="empty">You are all caught up.</p>
      </div>
      <div id="inbox-announcer" class="sr-only" aria-live="polite" data-testid="inbox-announcer"></div>`;

export const INBOX_PANEL_STYLES = `
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
#inbox-tabs { display: flex; flex-wrap: wrap; gap: 0; padding: 8px 8px 0; border-bottom: 1px solid var(--line); }
#inbox-tabs [role=tab] { border: 0; border-bottom: 2px solid transparent; background: none; padding: 6px 7px; font: inherit; font-size: 13px; color: var(--muted); cursor: pointer; }
#inbox-tabs [role=tab][aria-selected=true] { color: var(--ink); border-bottom-color: var(--accent); font-weight: 600; }
#inbox-tabs .count { display: inline-block; min-width: 18px; margin-left: 4px; padding: 0 5px; border-radius: 9px; background: #f2f4f7; font-size: 11px; text-align: center; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.group { font-size: 13px; color: var(--ink); }
.group strong { font-weight: 600; }
.actions, .controls { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.snooze { position: relative; }
.actions button, .controls button { border: 1px solid var(--line); border-radius: 6px; background: #fff; font: inherit; font-size: 12px; padding: 2px 8px; cursor: pointer; }
.actions button[data-style=primary] { background: var(--accent); border-color: var(--accent); color: #fff; }
.actions button[data-style=danger] { color: var(--bad); border-color: var(--bad); }
.snooze-menu { position: absolute; right: 0; top: 100%; z-index: 20; display: grid; min-width: 120px; background: #fff; border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 8px 20px rgba(16, 24, 40, 0.14); padding: 4px; }
.snooze-menu[hidden] { display: none; }
.snooze-menu [role=menuitem] { border: 0; text-align: left; }
.avatar { flex: none; width: 28px; height: 28px; border-radius: 50%; background: #eef; color: var(--accent); font-size: 12px; font-weight: 600; display: grid; place-items: center; }
`;

/** Runs inside the page's module script after `client` is made; uses `$`, `el`, `demo`, `showStatus`, `timeOf`, `refreshUnreadIfOffline`. */
export const INBOX_PANEL_SCRIPT = `
const FIXED_TABS = [
  { id: 'all', label: 'All', filter: {}, count: (c) => c.inbox },
  { id: 'unread', label: 'Unread', filter: { state: 'unread' }, count: (c) => c.unread },
  { id: 'archived', label: 'Archived', filter: { state: 'archived' }, count: (c) => c.archived },
];
let currentTab = 'all';
const categoryCounts = new Map();
const loadedTabs = new Set();
demo.seenReported = [];

function categoriesPresent() {
  const all = [...client.inbox.items(), ...client.inbox.items({ state: 'archived' })];
  return [...new Set(all.map((n) => n.category).filter(Boolean))].sort();
}

function tabs() {
  return [...FIXED_TABS, ...categoriesPresent().map((c) => ({ id: 'category:' + c, label: c[0].toUpperCase() + c.slice(1), filter: { category: c }, category: c }))];
}

function tabCount(tab) {
  const counts = client.inbox.counts;
  if (tab.category) return categoryCounts.has(tab.category) ? categoryCounts.get(tab.category) : client.inbox.items(tab.filter).length;
  // A server without inbox states sends no counts: count what the page holds.
  return counts ? tab.count(counts) : client.inbox.items(tab.filter).length;
}

function renderTabs() {
  const list = tabs();
  if (!list.some((t) => t.id === currentTab)) currentTab = 'all';
  const focusedTab = document.activeElement && document.activeElement.getAttribute('role') === 'tab' ? document.activeElement.dataset.tab : null;
  $('inbox-tabs').replaceChildren(...list.map((tab) => {
    const selected = tab.id === currentTab;
    const button = el('button', '', tab.label);
    button.type = 'button';
    button.id = 'tab-' + tab.id.replace(':', '-');
    button.dataset.tab = tab.id;
    button.setAttribute('role', 'tab');
    button.setAttribute('data-testid', 'tab');
    button.setAttribute('aria-selected', String(selected));
    button.setAttribute('aria-controls', 'inbox-tabpanel');
    button.tabIndex = selected ? 0 : -1;
    const count = el('span', 'count', String(tabCount(tab)));
    count.setAttribute('data-testid', 'tab-count');
    count.setAttribute('aria-label', tabCount(tab) + ' notifications');
    button.append(count);
    button.addEventListener('click', () => selectTab(tab.id));
    return button;
  }));
  $('inbox-tabpanel').setAttribute('aria-labelledby', 'tab-' + currentTab.replace(':', '-'));
  if (focusedTab) focusTab(focusedTab);
}

function focusTab(id) {
  const button = [...$('inbox-tabs').children].find((b) => b.dataset.tab === id);
  if (button) button.focus();
}

async function selectTab(id, focus) {
  currentTab = id;
  render();
  if (focus) focusTab(id);
  const tab = tabs().find((t) => t.id === id);
  // The first visit of a tab loads its first page: archived ones are not in the default list.
  if (tab && !loadedTabs.has(id)) {
    loadedTabs.add(id);
    try {
      await client.inbox.load(tab.filter, { limit: 20 });
    } catch (error) {
      loadedTabs.delete(id);
      showStatus('Could not load ' + tab.label + ': ' + error.message);
    }
  }
}

// Arrow keys, Home and End move between tabs and select (the WAI-ARIA tabs pattern).
$('inbox-tabs').addEventListener('keydown', (event) => {
  const ids = tabs().map((t) => t.id);
  const at = ids.indexOf(currentTab);
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: ids.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  void selectTab(ids[(next + ids.length) % ids.length], true);
});

${INBOX_ITEM_SCRIPT}
function currentFilter() {
  const tab = tabs().find((t) => t.id === currentTab);
  return tab ? tab.filter : {};
}

// Focus stays where it was across a re-render; when its item left the tab, on the item that took its place.
function focusedPlace() {
  const active = document.activeElement;
  const li = active && active.closest && active.closest('[data-testid=notification]');
  if (!li) return null;
  return { id: li.dataset.id, control: active.dataset.control, index: [...li.parentNode.children].indexOf(li) };
}

function restoreFocus(place) {
  if (!place) return;
  const list = $('notification-list');
  const same = [...list.children].find((li) => li.dataset.id === place.id);
  const li = same || list.children[Math.min(place.index, list.children.length - 1)];
  if (!li) return $('inbox-tabpanel').focus();
  const target = (same && place.control && li.querySelector('[data-control="' + place.control + '"]')) || li.querySelector('button');
  if (!target) return;
  // An update that lands while the snooze menu is open (a tab's first page, a read elsewhere)
  // must not close it under the person's keyboard: reopen it, then focus the same option.
  const menu = target.closest('[role=menu]');
  if (menu && menu.hidden && typeof menu.reopen === 'function') menu.reopen();
  target.focus();
}

function render() {
  const place = focusedPlace();
  renderTabs();
  const shown = client.inbox.items(currentFilter());
  $('notification-list').replaceChildren(...shown.map(renderItem));
  $('empty').hidden = shown.length > 0;
  $('empty').textContent = currentTab === 'archived' ? 'Nothing archived.' : 'You are all caught up.';
  restoreFocus(place);
  reportSeen(shown);
}

// "Seen" means shown to the person: the panel is open and the page visible.
function reportSeen(shown) {
  if ($('inbox-panel').hidden || document.visibilityState !== 'visible') return;
  const ids = shown.filter((n) => !n.seenAt).map((n) => n.id);
  if (ids.length === 0) return;
  demo.seenReported.push(...ids);
  client.inbox.markSeen(ids);
}
document.addEventListener('visibilitychange', () => render());

let recountTimer = null;
// Category tabs are counted by the server (one call for all of them), a moment after the inbox changes.
function recountCategories() {
  if (recountTimer !== null || !client.inbox.counts) return;
  recountTimer = setTimeout(async () => {
    recountTimer = null;
    const filters = Object.fromEntries(categoriesPresent().map((c) => [c, { category: c }]));
    if (Object.keys(filters).length === 0) return;
    try {
      const { counts } = await client.inbox.count(filters);
      for (const [c, n] of Object.entries(counts)) categoryCounts.set(c, n);
      renderTabs();
    } catch (error) {
      console.warn('herald: category counts', error.message);
    }
  }, 300);
}

client.on('inbox', () => {
  render();
  recountCategories();
});
client.on('notification', (n) => {
  $('inbox-announcer').textContent = 'New notification: ' + n.title;
});
`;
