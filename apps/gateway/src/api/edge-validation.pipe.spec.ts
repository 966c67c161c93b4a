import { MAX_PAGE_SIZE } from '@keyward/contracts';
import { DomainError } from '@keyward/domain';
import { CredentialCreateDto } from '../credentials/dto';
import { AdminUserListQuery, CredentialListQuery } from './queries';
import { EdgeValidationPipe } from './edge-validation.pipe';

describe('EdgeValidationPipe', () => {
  const pipe = new EdgeValidationPipe();
  const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: CredentialCreateDto });
  const refusal = (value: unknown): string => {
    try {
      body(value);
    } catch (error: unknown) {
      if (error instanceof DomainError) return `${error.code}: ${error.message}`;
      throw error;
    }
    return 'accepted';
  };

  it('passes a body of the documented types through as sent', () => {
    const sent = { name: 'n', type: 'password', scope: 'all', values: { username: 'u', password: 'p' }, extra: 1 };
    expect(body(sent)).toBe(sent);
    expect(body(undefined)).toEqual({});
  });

  it('names the first field of another type', () => {
    expect(refusal({ name: 5 })).toBe('VALIDATION_FAILED: Invalid field name: must be a string');
    expect(refusal({ name: 'n', values: ['a'] })).toBe('VALIDATION_FAILED: Invalid field values: must be an object of string values');
    expect(refusal({ description: 'x'.repeat(1025) })).toBe('VALIDATION_FAILED: Invalid field description: must be at most 1024 characters');
    expect(refusal([1])).toBe('BAD_REQUEST: Request body must be a JSON object');
  });

  it('is not fooled by keys a client picks: constructor, __proto__, prototype', () => {
    expect(refusal(JSON.parse('{"values": {"constructor": 366, "__proto__": {"x": 1}}, "description": 2147483648}'))).toBe(
      'VALIDATION_FAILED: Invalid field description: must be a string',
    );
    // A `constructor` key neither breaks the check nor turns it off.
    for (const value of ['null', '366', '{"prototype": {}}', '"x"']) {
      expect(refusal(JSON.parse(`{"constructor": ${value}, "name": 5}`))).toBe('VALIDATION_FAILED: Invalid field name: must be a string');
      expect(refusal(JSON.parse(`{"constructor": ${value}, "toString": null, "hasOwnProperty": 1}`))).toBe('accepted');
    }
    const polluted = JSON.parse('{"__proto__": {"name": 5}, "constructor": {"prototype": {"name": 5}}}') as object;
    expect(body(polluted)).toBe(polluted);
    expect(({} as Record<string, unknown>)['name']).toBeUndefined();
  });

  describe('query strings', () => {
    const query = (metatype: new () => unknown, value: Record<string, string>) => pipe.transform(value, { type: 'query', metatype });
    const queryRefusal = (metatype: new () => unknown, value: Record<string, string>): string => {
      try {
        return JSON.stringify(query(metatype, value));
      } catch (error: unknown) {
        if (error instanceof DomainError) return `${error.code}: ${error.message}`;
        throw error;
      }
    };

    it('hands the handler numbers and flags as the class reads them, without empty values', () => {
      expect(query(AdminUserListQuery, { limit: '20', offset: '0', staff: 'true', superuser: 'false', username: 'al', account: '' })).toEqual({
        limit: 20,
        offset: 0,
        staff: true,
        superuser: false,
        username: 'al',
      });
      expect(query(CredentialListQuery, { type: 'password', scope: '', after: 'c1' })).toEqual({ type: 'password', after: 'c1' });
    });

    it('names the parameter that is not of its form', () => {
      expect(queryRefusal(AdminUserListQuery, { limit: '0' })).toBe(
        `VALIDATION_FAILED: Invalid query parameter limit: must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
      );
      expect(queryRefusal(AdminUserListQuery, { offset: '-1' })).toMatch(
        /^VALIDATION_FAILED: Invalid query parameter offset: must be a whole number from 0 to/,
      );
      expect(queryRefusal(AdminUserListQuery, { staff: 'yes' })).toBe('VALIDATION_FAILED: Invalid query parameter staff: must be true or false');
      expect(queryRefusal(CredentialListQuery, { type: 'token' })).toBe(
        'VALIDATION_FAILED: Invalid query parameter type: must be one of docker-registry, access-key, password, kubernetes-secret',
      );
    });
  });
});
