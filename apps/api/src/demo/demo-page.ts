import { createHash } from 'node:crypto';
import { PUSH_SCRIPT, PUSH_SECTION } from './demo-push.script.js';
import { HEAD_SCRIPT, MODULE_SCRIPT } from './demo-page.script.js';
import { DEMO_STYLES } from './demo-page.styles.js';
import { INBOX_PANEL_HTML, INBOX_PANEL_STYLES } from './demo-inbox-panel.js';
import { JOBS_PANEL_STYLES, jobsPanelHtml } from './demo-jobs-panel.js';

export interface DemoPageOptions {
  /** Outside production: demo sign-in, the send form and the test hooks. */
  dev: boolean;
}

export interface DemoPage {
  html: string;
  /** Response headers: a CSP that allows exactly the inline code above, no referrer, no caching. */
  headers: Record<string, string>;
}

const STYLES = DEMO_STYLES + INBOX_PANEL_STYLES + JOBS_PANEL_STYLES;
const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const BELL = `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.73 21a2 2 0 0 1-3.46 0"/></svg>`;

const SEND_FORM = `
  <section class="card">
    <h2>Send a test notification</h2>
    <p>Dev mode only: the page fetches a short-lived publish token from <code>POST /demo/dev-service-token</code>.</p>
    <form id="send-form" data-testid="send-form">
      <label class="wide">Title <input name="title" required maxlength="200" value="Hello from Herald"></label>
      <label class="wide">Body <textarea name="body" rows="2" maxlength="4000">Sent from the demo page.</textarea></label>
      <label>Severity
        <select name="severity"><option>info</option><option>success</option><option>warning</option><option>error</option></select>
      </label>
      <label>Category
        <select name="category"><option value="">none</option><option>social</option><option>billing</option><option>system</option></select>
      </label>
      <label>Actor <input name="actor" maxlength="100" placeholder="Ana"></label>
      <label>Group key <input name="groupKey" maxlength="128" placeholder="comment:post-42"></label>
      <button class="primary" type="submit">Send</button>
      <span id="send-result" class="wide" role="status"></span>
    </form>
  </section>`;

/**
 * The demo inbox: HTML, one stylesheet and two inline scripts, the
 * second of which imports the SDK bundle from ./sdk/. Rendered once per mode.
 */
export function renderDemoPage({ dev }: DemoPageOptions): DemoPage {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Herald inbox</title>
<link rel="icon" href="data:,">
<script>${HEAD_SCRIPT}</script>
<style>${STYLES}</style>
</head>
<body>
<header class="bar">
  <h1>Herald inbox</h1>
  <span class="user">signed in as <strong id="current-user" data-testid="current-user">…</strong></span>
  <span id="connection-state" class="state" data-testid="connection-state" data-state="connecting" role="status" aria-live="polite">connecting</span>
  <div class="bell-wrap">
    <button id="bell" type="button" data-testid="bell" aria-haspopup="true" aria-expanded="false" aria-controls="inbox-panel" aria-label="Notifications">${BELL}<span id="unread-badge" data-testid="unread-badge" hidden>0</span></button>
    <div id="inbox-panel" data-testid="inbox-panel" hidden>
      <div class="panel-head"><h2>Notifications</h2><button id="mark-all-read" class="link" type="button" data-testid="mark-all-read">Mark all read</button></div>
${INBOX_PANEL_HTML}
    </div>
  </div>
</header>
<main>
  <p id="status" role="alert" hidden></p>
  <section class="card">
    <h2>What this is</h2>
    <p>A live inbox on the Herald SDK: new notifications arrive over a WebSocket, and the page falls back to polling when the socket cannot connect.</p>
    <p>Open <code>/?token=&lt;user JWT&gt;</code> for a given user; the token is moved out of the address bar at once.</p>
  </section>${dev ? SEND_FORM : ''}${jobsPanelHtml(dev)}${PUSH_SECTION}
</main>
<script type="application/json" id="demo-config">${JSON.stringify({ dev })}</script>
<script type="module">${MODULE_SCRIPT}</script>
<script type="module">${PUSH_SCRIPT}</script>
</body>
</html>
`;
  // ws:/wss: only in dev, for the ?ws= test hook; in production the socket is same-origin ('self').
  const connect = dev ? "'self' ws: wss:" : "'self'";
  const csp = [
    "default-src 'none'",
    `script-src 'self' ${hash(HEAD_SCRIPT)} ${hash(MODULE_SCRIPT)} ${hash(PUSH_SCRIPT)}`,
    `style-src ${hash(STYLES)}`,
    `connect-src ${connect}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    html,
    headers: {
      'Content-Security-Policy': csp,
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}
