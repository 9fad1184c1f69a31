// A run's trace as the console shows it: the path it took (for the canvas) and its steps in order, each with
// branch, duration, token usage, inputs, output, tool calls and error.

import { h } from './dom.js';

export function pathOf(trace) {
  return stepsOf(trace).map((s) => s.node_id);
}

/** {@return the trace's summary and steps}; built through h(), which skips missing parts. */
export function traceView(trace, heading) {
  return h('div', { class: 'trace-view' },
    h('h3', { text: heading }),
    h('p', { class: 'muted', text: [trace.status, 'v' + trace.version, 'thread ' + trace.thread_id,
      trace.duration_micros !== undefined ? ms(trace.duration_micros) : ''].filter(Boolean).join(' · ') }),
    trace.error ? h('p', { class: 'error', text: trace.error }) : null,
    h('ol', { class: 'steps' }, ...stepsOf(trace).map(step)));
}

function stepsOf(trace) {
  return ((trace && trace.nodes) || []).filter((s) => s && s.node_id);
}

function step(s) {
  const facts = [s.type, s.branch ? 'branch ' + s.branch : '', s.duration_micros !== undefined ? ms(s.duration_micros) : '',
    s.usage ? s.usage.input_tokens + ' → ' + s.usage.output_tokens + ' tokens' : ''].filter(Boolean).join(' · ');
  return h('li', { class: 'step', dataset: { stepNode: s.node_id } },
    h('code', { text: s.node_id }), ' ', h('span', { class: 'muted', text: facts }),
    s.error ? h('p', { class: 'error', text: s.error }) : null,
    s.inputs ? json('Inputs', s.inputs) : null,
    s.output !== undefined ? json('Output', s.output) : null,
    Array.isArray(s.tool_calls) && s.tool_calls.length ? toolCalls(s.tool_calls) : null);
}

/** The agent's tool calls in the order made: name, status and time, with arguments, result and error to open. */
function toolCalls(calls) {
  return h('details', { class: 'tool-calls', open: true }, h('summary', { text: 'Tool calls (' + calls.length + ')' }),
    h('ol', {}, ...calls.map((c) => h('li', { class: 'tool-call', dataset: { status: c.status || '' } },
      h('code', { text: c.name || '?' }), ' ',
      h('span', { class: 'muted', text: [c.status, c.duration_micros !== undefined ? ms(c.duration_micros) : '']
        .filter(Boolean).join(' · ') }),
      c.error ? h('p', { class: 'error', text: c.error }) : null,
      c.arguments !== undefined ? json('Arguments', c.arguments) : null,
      c.result !== undefined ? json('Result', c.result) : null))));
}

function json(label, value) {
  return h('details', {}, h('summary', { text: label }),
    h('pre', { class: 'code', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }));
}

export function ms(micros) {
  return (micros / 1000).toFixed(micros < 10000 ? 1 : 0) + ' ms';
}
