import { signToken } from '@herald/auth';
import { Scope } from '@herald/contracts';

/** What `npm start` prints: where it runs, two dev tokens and a curl line to try. */
export function banner(port: number, secret: string): string {
  const base = `http://localhost:${port}`;
  const user = signToken(secret, { sub: 'alice', expiresIn: 7 * 24 * 3600, claims: { topics: ['jobs'] } });
  const service = signToken(secret, { sub: 'demo-service', scope: `${Scope.Publish} ${Scope.Admin} ${Scope.TopicsPublish}`, expiresIn: 7 * 24 * 3600 });
  return [
    '',
    `Herald is running (embedded: api + gateway + worker on one port)`,
    `  inbox page:  ${base}/?token=${user}`,
    `  websocket:   ws://localhost:${port}/ws?token=${user}`,
    `  openapi:     ${base}/docs`,
    '',
    `user token (alice, granted the topic jobs):`,
    `  ${user}`,
    `service token (notifications:publish notifications:admin topics:publish):`,
    `  ${service}`,
    '',
    'send alice a notification:',
    `  curl -s -X POST ${base}/v1/notifications -H 'Authorization: Bearer ${service}' -H 'Content-Type: application/json' \\`,
    `    -d '{"recipients":["alice"],"type":"hello","title":"Hello from Herald"}'`,
    '',
    'publish to the topic jobs (the inbox page shows it live):',
    `  curl -s -X POST ${base}/v1/topics/jobs/events -H 'Authorization: Bearer ${service}' -H 'Content-Type: application/json' \\`,
    `    -d '{"type":"job.running","data":{"job":"build-1","status":"running","progress":40}}'`,
    '',
  ].join('\n');
}
