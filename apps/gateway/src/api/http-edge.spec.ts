import { unstorablePathOf } from './http-edge';

describe('unstorablePathOf', () => {
  it('finds a NUL or an unpaired surrogate in any string of a JSON body, key or value, and names where', () => {
    const parse = (json: string) => JSON.parse(json) as unknown;
    expect(unstorablePathOf(parse('{"name": "a\\u0000b"}'))).toEqual({ path: 'name', problem: 'must not contain a NUL character' });
    expect(unstorablePathOf(parse('{"email": "\\udfff\\ud800"}'))?.path).toBe('email');
    expect(unstorablePathOf(parse('{"values": {"password": "x\\ud800"}}'))?.problem).toMatch(/unpaired surrogate/);
    expect(unstorablePathOf(parse('{"labels": {"\\udc00": "v"}}'))?.path).toBe('labels.<key>');
    expect(unstorablePathOf(parse('["ok", "\\ud800"]'))?.path).toBe('1');
  });

  it('accepts every character, surrogate pairs (astral characters) included', () => {
    expect(unstorablePathOf({ name: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🛞 \ud83d\ude00', nested: { list: ['é', 'ж', '中'] } })).toBeUndefined();
  });
});
