import { describe, expect, it } from 'vitest';
import { LoadspecError } from '../../src/errors.js';
import { compileThreshold, parseThresholdExpression, parseThresholdKey } from '../../src/thresholds/parse.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LoadspecError);
    expect((error as LoadspecError).code).toBe('LOADSPEC_THRESHOLD_INVALID');
    return (error as LoadspecError).message;
  }
  throw new Error('expected a LoadspecError');
}

describe('parseThresholdKey', () => {
  it('reads a metric and its tag scope', () => {
    expect(parseThresholdKey('failure_rate')).toEqual({ key: 'failure_rate', metric: 'failure_rate', scope: {} });
    expect(parseThresholdKey('response_time{scenario:refill, variant:prompt-v2}')).toEqual({
      key: 'response_time{scenario:refill, variant:prompt-v2}',
      metric: 'response_time',
      scope: { scenario: 'refill', variant: 'prompt-v2' },
    });
  });

  it('names the unknown tag and the tags that exist', () => {
    expect(message(() => parseThresholdKey('response_time{persona:maria}'))).toBe('threshold key "response_time{persona:maria}": unknown tag "persona"');
    expect(message(() => parseThresholdKey('response_time{}'))).toContain('has empty braces');
    expect(message(() => parseThresholdKey('response_time{scenario}'))).toContain('is not `tag:value`');
    expect(message(() => parseThresholdKey('response time'))).toContain('is not `metric` or `metric{tag:value}`');
    expect(message(() => parseThresholdKey('x{scenario:a,scenario:b}'))).toContain('names the tag "scenario" twice');
  });
});

describe('threshold values', () => {
  it('names a value that is no number, percentage or duration', () => {
    expect(message(() => parseThresholdExpression('p95 < 15 parsecs'))).toBe(
      'threshold "p95 < 15 parsecs": "15 parsecs" is not a number, a percentage or a duration; write e.g. 1500ms, 1.5s, 1m30s, 5% or 0.05',
    );
    expect(message(() => parseThresholdExpression('p95 < 1.5.5s'))).toContain('"1.5.5s" is not a number, a percentage or a duration');
  });
});

describe('parseThresholdExpression', () => {
  it.each([
    ['p95 < 1500ms', { aggregation: 'p95', percentile: 95, operator: '<', value: 1500, unit: 'ms' }],
    ['p(99.9) <= 2s', { aggregation: 'p99.9', percentile: 99.9, operator: '<=', value: 2000, unit: 'ms' }],
    ['avg<800ms', { aggregation: 'avg', operator: '<', value: 800, unit: 'ms' }],
    ['med > 1m', { aggregation: 'med', percentile: 50, operator: '>', value: 60_000, unit: 'ms' }],
    ['p95 < 1m30s', { aggregation: 'p95', percentile: 95, operator: '<', value: 90_000, unit: 'ms' }],
    ['max <= 1h', { aggregation: 'max', operator: '<=', value: 3_600_000, unit: 'ms' }],
    ['p95 < 1500 ms', { aggregation: 'p95', percentile: 95, operator: '<', value: 1500, unit: 'ms' }],
    ['rate < 5 %', { aggregation: 'rate', operator: '<', value: 0.05, unit: 'percent' }],
    ['rate < 5%', { aggregation: 'rate', operator: '<', value: 0.05, unit: 'percent' }],
    ['< 0.05', { operator: '<', value: 0.05, unit: 'number' }],
    ['count == 0', { aggregation: 'count', operator: '==', value: 0, unit: 'number' }],
    ['value != 3', { aggregation: 'value', operator: '!=', value: 3, unit: 'number' }],
    ['max >= 10', { aggregation: 'max', operator: '>=', value: 10, unit: 'number' }],
  ])('%s', (expression, expected) => {
    expect(parseThresholdExpression(expression)).toEqual({ expression, ...expected });
  });

  it('refuses what it cannot read, saying why', () => {
    expect(message(() => parseThresholdExpression('less than 5%'))).toBe('threshold "less than 5%" has no comparison; operators are < <= > >= == !=, e.g. "p95 < 1500ms"');
    expect(message(() => parseThresholdExpression('mean < 1s'))).toContain('unknown aggregation "mean"');
    expect(message(() => parseThresholdExpression('p100 < 1s'))).toContain('percentile 100 must be between 0 and 100');
    expect(message(() => parseThresholdExpression('p95 < 1 hour'))).toContain('"1 hour" is not a number, a percentage or a duration');
    expect(message(() => parseThresholdExpression('p95 < < 1s'))).toContain('does not read `aggregation operator value`');
  });
});

describe('compileThreshold', () => {
  it('fills in the aggregation for rates and converts values to the metric unit', () => {
    expect(compileThreshold('failure_rate', '< 5%')).toMatchObject({ metric: 'failure_rate', aggregation: 'rate', operator: '<', value: 0.05 });
    expect(compileThreshold('drop_rate', 'rate < 0.01')).toMatchObject({ aggregation: 'rate', value: 0.01 });
    expect(compileThreshold('response_time{scenario:refill}', 'p99 < 2s')).toMatchObject({ scope: { scenario: 'refill' }, aggregation: 'p99', percentile: 99, value: 2000 });
    expect(compileThreshold('dropped', '< 5')).toMatchObject({ aggregation: 'count', value: 5 });
    expect(compileThreshold('peak_active', '>= 100')).toMatchObject({ aggregation: 'value', value: 100 });
  });

  it('lists the metrics that exist for an unknown one', () => {
    const error = (() => {
      try {
        compileThreshold('failure_rat', '< 5%');
      } catch (e) {
        return e as LoadspecError;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toBe('unknown metric "failure_rat"; did you mean "failure_rate"?');
    expect(error.problems[0]?.hint).toContain('metrics are planned, started, active');
    expect(error.problems[0]?.hint).toContain('response_time');
  });

  it('lists the aggregations a metric type allows', () => {
    const error = (() => {
      try {
        compileThreshold('response_time', 'rate < 5%');
      } catch (e) {
        return e as LoadspecError;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toBe('aggregation "rate" does not apply to response_time (a trend)');
    expect(error.problems[0]?.hint).toBe('response_time allows avg, min, max, med, pNN');
  });

  it('wants units that fit the metric', () => {
    expect(message(() => compileThreshold('response_time', 'p95 < 1500'))).toContain('give the value a unit, e.g. 1500ms or 1500s');
    expect(message(() => compileThreshold('response_time', '< 1s'))).toContain('needs an aggregation');
    expect(message(() => compileThreshold('failure_rate', '< 5'))).toContain('is a rate between 0 and 1');
    expect(message(() => compileThreshold('dropped', 'count < 5%'))).toContain('without a unit');
  });
});
