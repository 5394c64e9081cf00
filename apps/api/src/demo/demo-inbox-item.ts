/*
 * One item of the demo inbox's list: its text, grouped-entry line, action
 * buttons, and its controls (mark read, archive or unarchive, and the snooze
 * menu button with its WAI-ARIA menu). Plain browser JavaScript kept as a
 * string, spliced into the inbox panel's script (demo-inbox-panel.ts);
 * server values go on the page as textContent only.
 */

/** Uses `client`, `el`, `timeOf`, `markRead`, `showStatus` and `refreshUnreadIfOffline` from the page script. */
export const INBOX_ITEM_SCRIPT = `
function groupSummary(n) {
  if (!n.group || n.group.count < 2) return null;
  const first = n.group.actors[0] || n.actor || 'Someone';
  const others = n.group.count - 1;
  const verb = n.data && typeof n.data.verb === 'string' ? ' ' + n.data.verb : '';
  const line = el('div', 'group');
  line.setAttribute('data-testid', 'group-summary');
  line.append(el('strong', '', first), document.createTextNode(' and ' + others + ' other' + (others === 1 ? '' : 's') + verb));
  return line;
}

function control(label, name, onClick, ariaLabel) {
  const button = el('button', name, label);
  button.type = 'button';
  button.dataset.control = name;
  button.setAttribute('data-testid', name);
  if (ariaLabel) button.setAttribute('aria-label', ariaLabel);
  button.addEventListener('click', onClick);
  return button;
}

function tomorrowMorning() {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(9, 0, 0, 0);
  return date;
}

function snoozeControl(n) {
  const wrap = el('div', 'snooze');
  const menuId = 'snooze-menu-' + n.id;
  const button = control('Snooze', 'snooze', () => toggleMenu(!menu.hidden ? false : true), 'Snooze "' + n.title + '"');
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', menuId);
  const menu = el('div', 'snooze-menu');
  menu.id = menuId;
  menu.hidden = true;
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', 'Snooze until');
  const options = [['1 hour', () => new Date(Date.now() + 3600000)], ['Tomorrow', tomorrowMorning]].map(([label, until], index) => {
    const item = el('button', '', label);
    item.type = 'button';
    item.tabIndex = -1;
    // Named like a control so a re-render can put focus back on the same option (see restoreFocus).
    item.dataset.control = 'snooze-option-' + index;
    item.setAttribute('role', 'menuitem');
    item.setAttribute('data-testid', 'snooze-option');
    item.addEventListener('click', () => {
      // A chosen option closes its menu and hands focus back to the menu button (WAI-ARIA menu button).
      toggleMenu(false);
      button.focus();
      act(n, 'snooze', () => client.inbox.snooze(n.id, until()));
    });
    return item;
  });
  menu.append(...options);
  // A re-render builds the item anew with its menu closed: restoreFocus shows it again through this
  // and then focuses the option that had focus (so no other option is focused, and announced, first).
  menu.reopen = () => setExpanded(true);
  function setExpanded(open) {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  }
  function toggleMenu(open) {
    setExpanded(open);
    if (open) options[0].focus();
  }
  menu.addEventListener('keydown', (event) => {
    const at = options.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      toggleMenu(false);
      button.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      options[(at + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length].focus();
    } else return;
    event.stopPropagation();
  });
  wrap.append(button, menu);
  return wrap;
}

function renderItem(n) {
  const unread = !n.readAt;
  const li = el('li', unread ? 'item unread' : 'item');
  li.dataset.id = n.id;
  li.dataset.seq = String(n.seq);
  li.dataset.severity = n.severity;
  if (n.category) li.dataset.category = n.category;
  if (n.group) li.dataset.groupCount = String(n.group.count);
  li.setAttribute('data-testid', 'notification');
  li.setAttribute('aria-label', (unread ? 'Unread: ' : '') + n.title);
  const text = el('div', 'text');
  text.append(el('div', 'title', n.title));
  const summary = groupSummary(n);
  if (summary) text.append(summary);
  if (n.body) text.append(el('div', 'body', n.body));
  const meta = el('div', 'meta');
  meta.append(el('time', '', timeOf(n.createdAt)));
  if (typeof n.link === 'string' && /^https?:[/][/]/i.test(n.link)) {
    const a = el('a', '', 'Open');
    a.href = n.link;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    a.addEventListener('click', () => void client.inbox.interact(n.id, 'link').catch(() => undefined));
    meta.append(a);
  }
  text.append(meta);
  if (n.actions && n.actions.length) {
    const actions = el('div', 'actions');
    for (const action of n.actions) {
      const button = control(action.label, 'action', () => runAction(n, action));
      button.dataset.style = action.style || 'primary';
      button.dataset.action = action.id;
      actions.append(button);
    }
    text.append(actions);
  }
  const controls = el('div', 'controls');
  if (unread) controls.append(control('Mark read', 'mark-read', () => markRead(n.id), 'Mark "' + n.title + '" read'));
  if (n.archivedAt) controls.append(control('Unarchive', 'unarchive', () => act(n, 'unarchive', () => client.inbox.unarchive(n.id)), 'Move "' + n.title + '" back to the inbox'));
  else controls.append(control('Archive', 'archive', () => act(n, 'archive', () => client.inbox.archive(n.id)), 'Archive "' + n.title + '"'));
  if (!n.archivedAt) controls.append(snoozeControl(n));
  text.append(controls);
  li.append(el('span', 'dot'), text);
  return li;
}

async function runAction(n, action) {
  await act(n, 'action', () => client.inbox.interact(n.id, action.id));
  if (action.url && /^https?:[/][/]/i.test(action.url)) window.open(action.url, '_blank', 'noopener,noreferrer');
}

/** Runs one item's action; its change reaches every tab (this one too) as a frame. */
async function act(n, what, call) {
  try {
    await call();
    await refreshUnreadIfOffline();
  } catch (error) {
    showStatus('Could not ' + what + ' "' + n.title + '": ' + error.message);
  }
}
`;
