// Pages for the scripted server (lib.mjs, `openScripted`): the ops of one
// run each, shared by the browser tests and tools/screenshots.mjs.

const set = (path, el) => ({ op: 'set', path, el });

/** A metric whose value is far wider than its column. */
export const HUGE_METRIC = '1,234,567,890,123,456,789,012.00 USD';

/** An exception message with `code` spans, and markup that must stay text. */
export const EXCEPTION_MESSAGE =
  'Field `config.port` must be a number, got `"eighty"` (see `Config::port`). <b>not bold</b> `<i>`';

/**
 * A long page with a sidebar: metrics in three columns (one with a huge
 * value), an exception with backticks, an alert with code for comparison,
 * then `lines` lines of text.
 */
export function gallery(lines = 80) {
  const ops = [
    set([0, 0], { kind: 'title', text: 'Layout checks' }),
    set([0, 1], { kind: 'columns', widths: [1, 1, 1] }),
    set([0, 1, 0], { kind: 'column' }),
    set([0, 1, 0, 0], {
      kind: 'metric',
      label: 'Revenue this quarter in all regions combined',
      value: HUGE_METRIC,
      delta: '+98,765,432,109,876 %',
      help: 'Everything we sold',
    }),
    set([0, 1, 1], { kind: 'column' }),
    set([0, 1, 1, 0], { kind: 'metric', label: 'Users', value: '42', delta: '-3' }),
    set([0, 1, 2], { kind: 'column' }),
    set([0, 1, 2, 0], { kind: 'metric', label: 'Uptime', value: '99.9 %' }),
    set([0, 2], {
      kind: 'exception',
      message: EXCEPTION_MESSAGE,
      location: 'src/main.rs:12:5',
      detail: 'stack backtrace:\n   0: app::main',
    }),
    set([0, 3], {
      kind: 'alert',
      level: 'warning',
      text: 'Alerts render `code` too.',
      html: '<p>Alerts render <code>code</code> too.</p>',
    }),
  ];
  for (let i = 0; i < lines; i++) ops.push(set([0, 4 + i], { kind: 'text', text: `line ${i + 1}` }));
  ops.push(
    set([1, 0], { kind: 'header', text: 'Sidebar', divider: false }),
    set([1, 1], { kind: 'markdown', text: 'Filters go here.', html: '<p>Filters go here.</p>' }),
    set([1, 2], { kind: 'caption', text: 'The grey background runs to the bottom of the page.' }),
  );
  return ops;
}

/** `n` texts, "row 0" … */
export function texts(n, from = 0) {
  const ops = [];
  for (let i = from; i < n; i++) ops.push(set([0, i], { kind: 'text', text: `row ${i}` }));
  return ops;
}
