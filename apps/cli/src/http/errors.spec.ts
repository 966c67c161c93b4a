import { ApiError, errorBody, exitCodeForStatus } from './errors';

describe(exitCodeForStatus.name, () => {
  it('is 0 on 2xx, 2 on 401 and 500, 1 on anything else, as anchore-cli', () => {
    const statuses = [200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503];
    expect(statuses.map(exitCodeForStatus)).toEqual([0, 0, 0, 1, 2, 1, 1, 1, 1, 2, 1, 1]);
  });
});

describe(errorBody.name, () => {
  it("keeps the API's error body", () => {
    const body = { message: 'Account not found', httpcode: 404, detail: { error_codes: ['ACCOUNT_NOT_FOUND'] } };
    expect(errorBody(404, 'Not Found', body)).toEqual(body);
    expect(new ApiError(404, body).errorCodes).toEqual(['ACCOUNT_NOT_FOUND']);
  });

  it('makes one of whatever else came back (a proxy page, nothing)', () => {
    expect(errorBody(502, 'Bad Gateway', '<html>bad gateway</html>')).toEqual({ message: '<html>bad gateway</html>', httpcode: 502 });
    expect(errorBody(503, 'Service Unavailable', undefined)).toEqual({ message: 'Service Unavailable', httpcode: 503 });
    expect(errorBody(500, '', { error: 'x' })).toEqual({ message: 'HTTP 500', httpcode: 500 });
  });
});
