/** The demo page's only stylesheet (inline, allowed by its hash in the CSP). */
export const DEMO_STYLES = `
:root { color-scheme: light; --ink: #1f2430; --muted: #667085; --line: #e4e7ec; --accent: #4f46e5;
  --ok: #12b76a; --warn: #f79009; --poll: #2e90fa; --off: #98a2b3; --bad: #f04438; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f5f6fa; }
header.bar { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header.bar h1 { font-size: 17px; margin: 0 auto 0 0; }
.user { color: var(--muted); }
.user strong { color: var(--ink); }
.state { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px; border-radius: 999px; background: #f2f4f7; font-size: 13px; }
.state::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--off); }
.state[data-state="connected"]::before { background: var(--ok); }
.state[data-state="connecting"]::before, .state[data-state="reconnecting"]::before { background: var(--warn); }
.state[data-state="polling"]::before { background: var(--poll); }
.bell-wrap { position: relative; }
#bell { position: relative; width: 40px; height: 40px; border: 1px solid var(--line); border-radius: 10px; background: #fff; cursor: pointer; }
#bell svg { width: 20px; height: 20px; vertical-align: middle; }
#unread-badge { position: absolute; top: -6px; right: -6px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
  background: var(--bad); color: #fff; font-size: 12px; font-weight: 600; line-height: 20px; text-align: center; }
#unread-badge[hidden] { display: none; }
#inbox-panel { position: absolute; right: 0; top: 48px; width: 500px; background: #fff; border: 1px solid var(--line);
  border-radius: 12px; box-shadow: 0 12px 32px rgba(16, 24, 40, 0.14); z-index: 10; overflow: hidden; }
#inbox-panel[hidden] { display: none; }
.panel-head { display: flex; align-items: center; justify-content: space-between; padding: 12px 16px; border-bottom: 1px solid var(--line); }
.panel-head h2 { font-size: 15px; margin: 0; }
button.link { border: 0; background: none; color: var(--accent); cursor: pointer; font: inherit; font-size: 13px; padding: 0; }
#notification-list { list-style: none; margin: 0; padding: 0; max-height: 480px; overflow-y: auto; }
.item { display: flex; gap: 10px; align-items: flex-start; padding: 12px 16px; border-bottom: 1px solid var(--line); }
.item:last-child { border-bottom: 0; }
.item.unread { background: #f8f9ff; }
.dot { flex: none; width: 8px; height: 8px; margin-top: 7px; border-radius: 50%; background: var(--off); }
.item[data-severity="success"] .dot { background: var(--ok); }
.item[data-severity="warning"] .dot { background: var(--warn); }
.item[data-severity="error"] .dot { background: var(--bad); }
.item[data-severity="info"] .dot { background: var(--poll); }
.item:not(.unread) .dot { opacity: 0.35; }
.text { flex: 1; min-width: 0; }
.title { font-weight: 600; overflow-wrap: anywhere; }
.item:not(.unread) .title { font-weight: 500; color: var(--muted); }
.body { color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.meta { color: var(--off); font-size: 12px; }
.meta a { color: var(--accent); margin-left: 8px; }
.mark-read { flex: none; border: 1px solid var(--line); border-radius: 6px; background: #fff; font-size: 12px; padding: 2px 8px; cursor: pointer; }
#empty { padding: 28px 16px; margin: 0; color: var(--muted); text-align: center; }
main { max-width: 720px; margin: 32px auto; padding: 0 24px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 20px; margin-bottom: 20px; }
.card h2 { font-size: 16px; margin: 0 0 12px; }
.card p { margin: 0 0 8px; color: var(--muted); }
form { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
form label { display: grid; gap: 4px; font-size: 13px; color: var(--muted); }
form .wide { grid-column: 1 / -1; }
input, select, textarea { font: inherit; padding: 7px 9px; border: 1px solid var(--line); border-radius: 8px; }
button.primary { justify-self: start; align-self: end; padding: 8px 16px; border: 0; border-radius: 8px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
#status { color: var(--bad); }
code { background: #f2f4f7; padding: 1px 5px; border-radius: 4px; }
`;
