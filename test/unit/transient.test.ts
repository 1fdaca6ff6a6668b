import { expect } from 'chai';
import { asUnavailable, isTransientError, UNAVAILABLE_MESSAGE } from '../../shared/transient.js';
import { AppError, UnavailableError, ValidationError } from '../../shared/errors.js';

describe('transient errors (a dependency away → 503, never 500)', () => {
  it('recognises Redis, PostgreSQL and socket errors, also wrapped as a cause', () => {
    const cases: unknown[] = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('outer', { cause: new Error('Connection terminated unexpectedly') }),
    ];
    for (const err of cases) expect(isTransientError(err), String(err)).to.equal(true);
  });

  it('leaves bugs and bad input alone', () => {
    expect(isTransientError(new TypeError('x is undefined'))).to.equal(false);
    expect(isTransientError(Object.assign(new Error('duplicate key'), { code: '23505' }))).to.equal(false);
    const invalid = new ValidationError('amount: too small');
    expect(asUnavailable(invalid)).to.equal(invalid);
  });

  it('turns a transient error, or an unavailable one naming an address, into the message for people', () => {
    const fromDriver = asUnavailable(
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
    );
    expect(fromDriver).to.be.instanceOf(UnavailableError);
    expect((fromDriver as AppError).message).to.equal(UNAVAILABLE_MESSAGE);
    const named = asUnavailable(new UnavailableError('No connection established: 127.0.0.1:9092'));
    expect((named as AppError).message).to.equal(UNAVAILABLE_MESSAGE);
    expect((named as AppError).message).not.to.match(/\d+\.\d+\.\d+\.\d+|:\d{4}/);
  });
});
