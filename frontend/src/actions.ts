// What the page can ask of the server. Components call these; main.tsx
// points them at the live connection.

import type { ClientMessage, WidgetValue } from './protocol';

let sender: (msg: ClientMessage) => void = () => {};

export function setSender(fn: (msg: ClientMessage) => void): void {
  sender = fn;
}

/** A widget's value was committed: rerun with it. */
export function commitValue(id: string, value: WidgetValue): void {
  sender({ type: 'rerun', widgets: { [id]: value }, trigger: null });
}

/** A button was pressed. */
export function press(id: string): void {
  sender({ type: 'rerun', widgets: {}, trigger: id });
}

export function stopRun(): void {
  sender({ type: 'stop' });
}
