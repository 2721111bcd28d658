import { describe, expect, it } from 'vitest';
import { renderJson, renderTemplate, templateError, type TemplateContext } from '../src/persona/template.js';

const context: TemplateContext = {
  persona: { firstName: 'Amara', medication: 'metformin' },
  scenario: 'refill',
  variant: 'prompt-v2',
  turn: 1,
  call: { id: 'c-000007', index: 7 },
  callId: 'srv-9',
  text: 'I need a "refill" <now>',
};

describe('templates', () => {
  it('fills persona fields without HTML escaping', () => {
    expect(renderTemplate('Hi, {{persona.firstName}}: {{text}}', context)).toBe('Hi, Amara: I need a "refill" <now>');
  });
  it('renders every string in a JSON value', () => {
    expect(renderJson({ path: '/calls/{{callId}}', body: ['{{variant}}', 3, { who: '{{persona.medication}}' }] }, context)).toEqual({
      path: '/calls/srv-9',
      body: ['prompt-v2', 3, { who: 'metformin' }],
    });
  });
  it('reports template syntax errors', () => {
    expect(templateError('{{#if persona.x}}unclosed')).toMatch(/Parse error|Expecting|open/i);
    expect(templateError('{{persona.firstName}}')).toBeNull();
  });
});
