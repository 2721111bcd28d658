/** The pure parts of the drivers: JSON pointers (RFC 6901) and the server-sent events parser. */
import { describe, expect, it } from 'vitest';
import { getPointer, isTruthy, parsePointer, textAt } from '../../src/drivers/json-pointer.js';
import { SseParser } from '../../src/drivers/sse.js';

describe('JSON pointers', () => {
  // The examples of RFC 6901 §5.
  const document = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, 'g|h': 4, 'i\\j': 5, 'k"l': 6, ' ': 7, 'm~n': 8 };
  it.each([
    ['', document],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/c%d', 2],
    ['/e^f', 3],
    ['/g|h', 4],
    ['/i\\j', 5],
    ['/k"l', 6],
    ['/ ', 7],
    ['/m~0n', 8],
  ])('%j designates the RFC example value', (pointer, value) => {
    expect(getPointer(document, pointer)).toEqual(value);
  });

  it('gives undefined for missing steps, bad array indexes and inherited properties', () => {
    expect(getPointer(document, '/nope/deeper')).toBeUndefined();
    expect(getPointer(document, '/foo/2')).toBeUndefined();
    expect(getPointer(document, '/foo/01')).toBeUndefined();
    expect(getPointer(document, '/foo/-')).toBeUndefined();
    expect(getPointer({}, '/toString')).toBeUndefined();
    expect(getPointer('text', '/0')).toBeUndefined();
  });

  it('rejects malformed pointers', () => {
    expect(() => parsePointer('reply')).toThrow(/must be empty or start with/);
    expect(() => parsePointer('/a~2')).toThrow(/~/);
    expect(parsePointer('/~01')).toEqual(['~1']);
  });

  it('reads text: strings, stringified scalars, null for structures', () => {
    const reply = { choices: [{ delta: { content: 'Hi' } }], n: 3, done: false, nested: { a: 1 } };
    expect(textAt(reply, '/choices/0/delta/content')).toBe('Hi');
    expect(textAt(reply, '/n')).toBe('3');
    expect(textAt(reply, '/done')).toBe('false');
    expect(textAt(reply, '/nested')).toBeNull();
    expect(textAt(reply, '/missing')).toBeUndefined();
  });

  it('treats "false" and "0" strings as false flags', () => {
    expect([true, 1, 'yes', 'true'].map(isTruthy)).toEqual([true, true, true, true]);
    expect([false, 0, '', 'false', '0', null, undefined].map(isTruthy)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('SseParser', () => {
  it('parses events split at any byte, with LF, CRLF or CR line ends', () => {
    const stream = 'data: {"delta":"Hel"}\r\n\r\n: a comment\nevent: token\ndata: {"delta":"lo"}\n\ndata: line one\rdata: line two\r\r';
    for (let split = 0; split < stream.length; split++) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, split)), ...parser.push(stream.slice(split)), ...parser.end()];
      expect(events).toEqual([
        { event: 'message', data: '{"delta":"Hel"}' },
        { event: 'token', data: '{"delta":"lo"}' },
        { event: 'message', data: 'line one\nline two' },
      ]);
    }
  });

  it('keeps a last event without its blank line, and skips events without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: ping\n\nid: 7\n\ndata:x')).toEqual([]);
    expect(parser.end()).toEqual([{ event: 'message', data: 'x' }]);
  });
});
