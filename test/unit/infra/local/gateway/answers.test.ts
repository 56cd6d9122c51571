import { describe, expect, it } from 'vitest';
import { integrationAnswer } from '../../../../../infra/local/gateway/http.js';
import { evaluatePolicy } from '../../../../../infra/local/gateway/ws.js';

describe('turning a function result into an HTTP response, as API Gateway does', () => {
  it('uses statusCode, headers, cookies and a base64 body', () => {
    const answer = integrationAnswer({
      statusCode: 201,
      headers: { 'X-Thing': 1 },
      cookies: ['a=1'],
      body: Buffer.from('hi').toString('base64'),
      isBase64Encoded: true,
    });
    expect(answer).toEqual({
      status: 201,
      headers: { 'x-thing': '1', 'set-cookie': ['a=1'] },
      body: Buffer.from('hi'),
    });
  });

  it('assumes 200 JSON for a result without statusCode', () => {
    expect(integrationAnswer({ a: 1 })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"a":1}'),
    });
    expect(integrationAnswer('plain')?.body).toEqual(Buffer.from('plain'));
    expect(integrationAnswer(undefined)?.body).toEqual(Buffer.from('null'));
  });

  it('refuses an invalid statusCode (API Gateway answers 500)', () => {
    expect(integrationAnswer({ statusCode: '200' })).toBeUndefined();
    expect(integrationAnswer({ statusCode: 99 })).toBeUndefined();
  });
});

describe('evaluating a WebSocket authorizer policy', () => {
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:api/local/$connect';
  const policy = (statements: object[], context?: object) => ({
    principalId: 'u1',
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context,
  });

  it('allows when a statement allows execute-api:Invoke on the method ARN, wildcards included', () => {
    expect(evaluatePolicy(policy([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }]), arn)).toBe(
      'allow',
    );
    expect(
      evaluatePolicy(
        policy([{ Effect: 'Allow', Action: ['execute-api:*'], Resource: ['arn:aws:execute-api:*:*:api/*'] }]),
        arn,
      ),
    ).toBe('allow');
  });

  it('denies on an explicit Deny, or when nothing allows', () => {
    const allow = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' };
    expect(evaluatePolicy(policy([allow, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: arn }]), arn)).toBe(
      'deny',
    );
    expect(evaluatePolicy(policy([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${arn}x` }]), arn)).toBe(
      'deny',
    );
  });

  it('treats a missing principal, a missing policy or a nested context value as invalid', () => {
    const allow = [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }];
    expect(evaluatePolicy({ policyDocument: { Statement: allow } }, arn)).toBe('invalid');
    expect(evaluatePolicy({ principalId: 'u1' }, arn)).toBe('invalid');
    expect(evaluatePolicy(policy(allow, { groups: ['a'] }), arn)).toBe('invalid');
    expect(evaluatePolicy(policy(allow, { groups: 'a,b', n: 1, ok: true }), arn)).toBe('allow');
  });
});
