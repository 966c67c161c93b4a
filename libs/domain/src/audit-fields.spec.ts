import fc from 'fast-check';
import { AUDITED_FIELDS, auditFields } from './audit-fields';

describe('auditFields', () => {
  it('keeps names, states and roles, and drops every value that authenticates', () => {
    expect(
      auditFields({
        name: 'registry',
        type: 'docker-registry',
        scope: 'project',
        values: { password: 'hunter2' },
        token: 'kw_secret',
        password: 'hunter2',
        content: '{"auths":{}}',
        staff: true,
        labels: { team: 'a', nested: { x: 1 } },
      }),
    ).toEqual({ name: 'registry', type: 'docker-registry', scope: 'project', staff: true, labels: { team: 'a' } });
  });

  it('answers undefined for what is not an object, or has nothing audited', () => {
    expect(auditFields(undefined)).toBeUndefined();
    expect(auditFields('text')).toBeUndefined();
    expect(auditFields([{ name: 'a' }])).toBeUndefined();
    expect(auditFields({ password: 'p' })).toBeUndefined();
  });

  it('never keeps a field outside the list, nor an object inside a kept field, whatever the input', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (input) => {
        const kept = auditFields(input) ?? {};
        for (const [key, value] of Object.entries(kept)) {
          expect(AUDITED_FIELDS.has(key)).toBe(true);
          if (key !== 'labels' && value !== null && typeof value === 'object') {
            // An array keeps plain values only (null holds nothing), never an object or array inside it.
            expect(Array.isArray(value) && (value as unknown[]).every((item) => item === null || typeof item !== 'object')).toBe(true);
          }
        }
      }),
    );
  });
});
