import { useState } from 'react';
import { type AuditRecordView } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { useDebounced } from '../components/use-debounced';
import { useList } from '../components/use-list';
import { AdminNav } from './admin-nav';

const RESOURCES = ['account', 'user', 'password', 'token', 'session', 'project', 'credential', 'secret', 'keys'] as const;

function actorOf(record: AuditRecordView): string {
  if (record.actor.system) return `Keyward (${record.actor.system})`;
  const who = record.actor.username ?? 'unknown';
  const via = record.actor.tokenKind === 'api' ? ' with an API token' : record.actor.tokenKind === 'session' ? ' (console)' : '';
  return record.actor.account ? `${who} of ${record.actor.account}${via}` : `${who}${via}`;
}

function fields(value: Record<string, unknown> | null): string {
  if (!value) return '—';
  return Object.entries(value)
    .map(([key, field]) => `${key}: ${typeof field === 'string' ? field : JSON.stringify(field)}`)
    .join(', ');
}

/** The audit log, newest first: for administrators, superusers and staff. */
export function AdminAuditPage() {
  const [account, setAccount] = useState('');
  const [actor, setActor] = useState('');
  const [resource, setResource] = useState('');
  const [outcome, setOutcome] = useState('');
  const [since, setSince] = useState('');
  const accountQuery = useDebounced(account.trim());
  const actorQuery = useDebounced(actor.trim());
  const list = useList<AuditRecordView>('/v1/admin/audit', {
    account: accountQuery,
    actor: actorQuery,
    action: resource || undefined,
    outcome: outcome || undefined,
    since: since || undefined,
  });

  return (
    <Page title="Admin">
      <AdminNav />
      <p className="lead">
        Every change made to Keyward, newest first: who made it, from where, what it changed and how it ended. Secret values are never recorded. The log is
        hash-chained: <code>npm run manage -- audit verify</code> finds a record deleted or changed.
      </p>
      <form className="filters" aria-label="Filter the audit log" onSubmit={(event) => event.preventDefault()}>
        <TextField
          label="Account"
          id="audit-account"
          value={account}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setAccount(event.target.value)}
        />
        <TextField
          label="Changed by (username)"
          id="audit-actor"
          value={actor}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setActor(event.target.value)}
        />
        <SelectField label="Resource" id="audit-resource" value={resource} onChange={(event) => setResource(event.target.value)}>
          <option value="">Any</option>
          {RESOURCES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </SelectField>
        <SelectField label="Result" id="audit-outcome" value={outcome} onChange={(event) => setOutcome(event.target.value)}>
          <option value="">Any</option>
          <option value="success">Succeeded</option>
          <option value="failure">Refused or failed</option>
        </SelectField>
        <TextField label="Since" id="audit-since" type="date" value={since} onChange={(event) => setSince(event.target.value)} />
      </form>
      <ListTable
        list={list}
        caption="Audit log"
        columns={['When', 'Action', 'Resource', 'Changed by', 'From', 'Result', 'Changes']}
        empty="No record matches these filters."
        pagerLabel="Audit records"
      >
        {list.items.map((record) => (
          <tr key={record.id}>
            <td>
              <Time value={record.at} />
            </td>
            <th scope="row">{record.action}</th>
            <td>
              {record.resource.id ?? record.resource.type}
              {record.resource.account && <span className="muted block">in {record.resource.account}</span>}
            </td>
            <td>{actorOf(record)}</td>
            <td>{record.address ?? '—'}</td>
            <td>
              {record.result.outcome === 'success' ? 'Succeeded' : `Refused: ${record.result.code ?? record.result.status ?? 'failed'}`}
              {record.result.status !== undefined && <span className="muted block">HTTP {record.result.status}</span>}
            </td>
            <td>
              <details>
                <summary>Details</summary>
                <dl className="audit-details">
                  <dt>Before</dt>
                  <dd>{fields(record.before)}</dd>
                  <dt>After</dt>
                  <dd>{fields(record.after)}</dd>
                  <dt>Request id</dt>
                  <dd>
                    <code>{record.requestId ?? '—'}</code>
                  </dd>
                  <dt>Record</dt>
                  <dd>
                    #{record.seq} <code title="sha256 over this record and the one before">{record.hash.slice(0, 12)}</code>
                  </dd>
                </dl>
              </details>
            </td>
          </tr>
        ))}
      </ListTable>
    </Page>
  );
}
