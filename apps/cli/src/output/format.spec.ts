import { field, json, keyValues, table } from './format';

describe('anchore-cli output formats', () => {
  describe(table.name, () => {
    it("lays out the seed's account list exactly: each column as wide as its widest cell plus eight spaces", () => {
      const sut = table(
        ['Name', 'Email', 'Type', 'State', 'Created'],
        [
          ['account1', 'account1admin@anchorexample.com', 'user', 'deleting', '2018-11-05T23:23:55Z'],
          ['admin', 'admin@myanchore', 'admin', 'enabled', '2018-11-03T18:35:42Z'],
        ],
        'Created',
      );
      expect(sut).toBe(
        [
          'Name            Email                                  Type         State           Created                     ',
          'admin           admin@myanchore                        admin        enabled         2018-11-03T18:35:42Z        ',
          'account1        account1admin@anchorexample.com        user         deleting        2018-11-05T23:23:55Z        ',
          '',
          '',
        ].join('\n'),
      );
    });

    it('sorts stably and prints a header alone for no rows', () => {
      expect(table(['Name', 'Created'], [], 'Created')).toBe('Name        Created        \n\n');
      const rows = [
        ['b', 't1'],
        ['a', 't1'],
        ['c', 't0'],
      ];
      const names = table(['Name', 'Created'], rows, 'Created')
        .split('\n')
        .slice(1, 4)
        .map((line) => line.trim().split(/ +/)[0]);
      expect(names).toEqual(['c', 'b', 'a']);
    });
  });

  describe(keyValues.name, () => {
    it('prints Key: value lines, then a blank line, null as None', () => {
      expect(
        keyValues([
          ['Username', 'admin'],
          ['AccountEmail', null],
          ['Staff', false],
        ]),
      ).toBe('Username: admin\nAccountEmail: None\nStaff: false\n\n');
    });
  });

  describe(field.name, () => {
    it('renders what is not text', () => {
      expect([field(undefined), field(3), field({ a: 1 })]).toEqual(['None', '3', '{"a":1}']);
    });
  });

  describe(json.name, () => {
    it('sorts keys at every level and indents by four, as anchore-cli', () => {
      expect(json({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{\n    "a": [\n        {\n            "c": 2,\n            "d": 1\n        }\n    ],\n    "b": 1\n}\n');
    });
  });
});
