/** A plan as people read it (text) and as tools read it (JSON). */
import { escapeText, formatPath } from '../policies/problem';
import { Change } from './compare';
import { changeLine } from './describe';
import { changesNothing, ObjectPlan, Plan } from './plan';

const HEADLINE: Readonly<Record<ObjectPlan['action'], string>> = {
  create: 'created',
  update: 'updated',
  none: 'no change',
  'not-rendered': 'live, not rendered',
  'not-in-dump': 'not compared',
};

/** What "stays" means, printed once under a plan that has such a field. */
const STAYS_LEGEND =
  '"stays": set on the live object, not by the render. kubectl apply (Argo CD\'s default) never removes it; server-side apply ' +
  '(Argo CD ServerSideApply=true, Flux) keeps it while another field manager owns it; Argo CD Replace=true or kubectl replace removes it. ' +
  'See README "Taking over an existing node-agent".';

const objectName = (o: { kind: string; name: string; namespace?: string }) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/** The plan as lines of text: each object with its changes (the sync's first, then what stays), the restarts, the failures. */
export function planText(plan: Plan): string {
  const out = [
    escapeText(`Plan: environment ${plan.environment} (Velero ${plan.veleroVersion}) onto the live objects of ${plan.live}`),
    'Server defaults and the API server\'s own fields are left out.',
  ];
  for (const object of plan.objects) {
    out.push('', escapeText(`${objectName(object)}: ${HEADLINE[object.action]}`));
    const changes = [...object.changes.filter((c) => c.kind !== 'stays'), ...object.changes.filter((c) => c.kind === 'stays')];
    for (const change of changes) out.push(`  ${changeLine(change, object.helm)}`);
    for (const note of object.notes) out.push(escapeText(`  note: ${note}`));
  }
  out.push('');
  if (changesNothing(plan)) out.push('No change: the first sync leaves every live object as it is.');
  for (const restart of plan.restarts) {
    out.push(escapeText(restart.message));
    for (const field of restart.fields) out.push(escapeText(`  ${field}`));
  }
  for (const failure of plan.applyFails) out.push(escapeText(`error: ${failure}`));
  if (plan.objects.some((o) => o.changes.some((c) => c.kind === 'stays'))) out.push('', STAYS_LEGEND);
  return out.join('\n');
}

/** A change for `--format json`: `{change, path, from, to}` or `{change, path, value}`, ints past 2^53 as strings. */
function changeJson(change: Change): Record<string, unknown> {
  const { kind, path, ...rest } = change;
  return { change: kind, path: formatPath(path), ...rest };
}

/** The plan for `--format json`, stable keys; bigints (Go ints) as numbers where exact, else as strings. */
export function planJson(plan: Plan): string {
  const value = {
    environment: plan.environment,
    veleroVersion: plan.veleroVersion,
    live: plan.live,
    changesNothing: changesNothing(plan),
    objects: plan.objects.map((o) => ({
      kind: o.kind, namespace: o.namespace ?? null, name: o.name, action: o.action, changes: o.changes.map(changeJson), notes: o.notes,
    })),
    restarts: plan.restarts.map(({ daemonSet, restarts, fields, message }) => ({ daemonSet, restarts, fields, message })),
    applyFails: plan.applyFails,
  };
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v), 2);
}
