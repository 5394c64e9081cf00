/*
 * The demo page's "jobs" panel: a live view of the topic `jobs` (one line
 * per job, its latest status), fed by `client.subscribe`, and in dev mode a
 * form that publishes to the topic. Plain browser JavaScript kept as a
 * string, spliced into the page's module script where the client exists;
 * values from the server go on the page with textContent only.
 */

/** The topic the panel follows; the demo user's dev token grants it. */
export const JOBS_TOPIC = 'jobs';

const PUBLISH_FORM = `
    <form id="job-form" data-testid="job-form">
      <label>Job <input name="job" required maxlength="40" value="build-1"></label>
      <label>Status
        <select name="status"><option>queued</option><option>running</option><option>done</option><option>failed</option></select>
      </label>
      <label>Progress % <input name="progress" type="number" min="0" max="100" value="0"></label>
      <button class="primary" type="submit">Publish to ${JOBS_TOPIC}</button>
      <span id="job-result" class="wide" role="status"></span>
    </form>`;

/** The panel's markup; the publish form only in dev mode. */
export function jobsPanelHtml(dev: boolean): string {
  return `
  <section class="card" id="jobs-panel" data-testid="jobs-panel">
    <h2>Jobs <span id="jobs-state" class="topic-state" data-testid="jobs-state">subscribing</span></h2>
    <p>Live from the topic <code>${JOBS_TOPIC}</code>: each update once and in order, also across reconnects.</p>
    <ul id="jobs-list" data-testid="jobs-list"></ul>
    <p id="jobs-empty">No job updates yet.</p>${dev ? PUBLISH_FORM : ''}
  </section>`;
}

export const JOBS_PANEL_STYLES = `
#jobs-list { list-style: none; margin: 0 0 12px; padding: 0; }
.job { display: flex; gap: 12px; padding: 6px 0; border-bottom: 1px solid var(--line); }
.job .name { font-weight: 600; min-width: 120px; }
.job .status { color: var(--muted); }
.job[data-status="done"] .status { color: var(--ok); }
.job[data-status="failed"] .status { color: var(--bad); }
.topic-state { font-size: 12px; font-weight: 400; color: var(--muted); margin-left: 8px; }
`;

/** Runs inside the page's module script, after `client` is made (it uses `$`, `el`, `demo`, `devToken` and `expiresSoon` from there). */
export const JOBS_PANEL_SCRIPT = `
const jobs = new Map();
demo.jobEvents = [];

function renderJobs() {
  const rows = [...jobs.values()].sort((a, b) => b.seq - a.seq).map((e) => {
    const li = el('li', 'job');
    li.dataset.job = e.job;
    li.dataset.status = e.status;
    li.dataset.seq = String(e.seq);
    li.setAttribute('data-testid', 'job');
    li.append(el('span', 'name', e.job), el('span', 'status', e.progress === null ? e.status : e.status + ' ' + e.progress + '%'));
    return li;
  });
  $('jobs-list').replaceChildren(...rows);
  $('jobs-empty').hidden = rows.length > 0;
}

function jobState(text) {
  $('jobs-state').textContent = text;
}

client.subscribe('${JOBS_TOPIC}', (event) => {
  const data = event.data || {};
  const job = typeof data.job === 'string' ? data.job : 'event ' + event.seq;
  const progress = typeof data.progress === 'number' ? data.progress : null;
  jobs.set(job, { job, seq: event.seq, status: typeof data.status === 'string' ? data.status : event.type, progress });
  demo.jobEvents.push(event.seq);
  jobState('live');
  renderJobs();
}, {
  // More was missed than the topic keeps: what is shown may be stale.
  onResync: () => jobState('resynced: older updates are gone'),
});
client.on('error', (error) => {
  if (error.topic === '${JOBS_TOPIC}') jobState('not available: ' + error.message);
});
client.on('state', (state) => {
  if (state === 'open' && $('jobs-state').textContent === 'subscribing') jobState('live');
});

const jobForm = $('job-form');
if (jobForm) {
  let jobToken = null;
  jobForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(jobForm);
    const result = $('job-result');
    try {
      if (expiresSoon(jobToken)) jobToken = await devToken('demo/dev-service-token');
      const res = await fetch('v1/topics/${JOBS_TOPIC}/events', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + jobToken, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'job.' + data.get('status'),
          data: { job: data.get('job'), status: data.get('status'), progress: Number(data.get('progress')) },
        }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.message || 'HTTP ' + res.status);
      result.textContent = 'Published as ${JOBS_TOPIC} #' + body.seq;
    } catch (error) {
      result.textContent = 'Not published: ' + error.message;
    }
  });
}
`;
