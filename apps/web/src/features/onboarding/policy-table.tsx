'use client';
import type { PolicyRow, Issue } from './types';
import { issuesAt } from './types';

/**
 * Effective policy values with their source; typing a value overrides the platform default for this
 * tenant, clearing it goes back to the default. Used by the wizard and the tenant overview alike.
 */
export function PolicyTable({ rows, overrides, issues, onChange }: { rows: PolicyRow[]; overrides: Record<string, number>; issues: Issue[]; onChange: (next: Record<string, number>) => void }) {
  return (
    <table className="table" data-testid="policy-table">
      <thead>
        <tr>
          <th>Setting</th>
          <th>Platform default</th>
          <th>Effective</th>
          <th>Source</th>
          <th style={{ width: 200 }}>Override</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const override = overrides[row.path];
          const errors = issuesAt(issues, `policies.${row.path}`);
          return (
            <tr key={row.path}>
              <td>
                {row.label}
                <div className="faint mono" style={{ fontSize: 11 }}>
                  {row.path}
                </div>
              </td>
              <td className="mono">{row.platformValue ?? 'none'}</td>
              <td className="mono">{override ?? row.platformValue ?? 'none'}</td>
              <td>
                <span className={override !== undefined ? 'pill pill-running' : 'pill pill-queued'}>{override !== undefined ? 'tenant override' : row.platformValue === null ? 'platform default (none)' : 'platform default'}</span>
              </td>
              <td>
                <input
                  className="input"
                  inputMode="decimal"
                  aria-label={`Override ${row.label}`}
                  data-testid={`policy-${row.path}`}
                  value={override === undefined ? '' : String(override)}
                  placeholder="default"
                  aria-invalid={errors.length > 0}
                  onChange={(e) => {
                    const next = { ...overrides };
                    const text = e.target.value.trim();
                    if (text === '' || Number.isNaN(Number(text))) delete next[row.path];
                    else next[row.path] = Number(text);
                    onChange(next);
                  }}
                />
                {errors.length > 0 && <div className="field-error">{errors.join('; ')}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
