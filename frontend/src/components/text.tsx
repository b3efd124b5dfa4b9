// Display elements: text, code, alerts, metrics, progress.

import type { FunctionComponent } from 'preact';
import { useState } from 'preact/hooks';
import type {
  AlertEl,
  AlertLevel,
  CodeEl,
  ExceptionEl,
  HeaderEl,
  MarkdownEl,
  MetricEl,
  ProgressEl,
  SpinnerEl,
  TextEl,
  TitleEl,
} from '../protocol';
import { Help } from './common';

function Title({ el }: { el: TitleEl }) {
  return <h1 class="bk-h">{el.text}</h1>;
}

function Header({ el }: { el: HeaderEl }) {
  const H = el.kind === 'header' ? 'h2' : 'h3';
  return (
    <>
      <H class="bk-h">{el.text}</H>
      {el.divider && <hr class="bk-rule bk-accent-rule" />}
    </>
  );
}

function Markdown({ el }: { el: MarkdownEl }) {
  // The server rendered it and escaped raw HTML unless the app opted in.
  return <div class="bk-md" dangerouslySetInnerHTML={{ __html: el.html }} />;
}

function Text({ el }: { el: TextEl }) {
  return el.kind === 'text' ? <pre class="bk-pre">{el.text}</pre> : <p class="bk-small">{el.text}</p>;
}

function Code({ el }: { el: CodeEl }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(el.code).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      },
      () => {},
    );
  };
  return (
    <div class="bk-codebox">
      <div class="bk-codebar">
        <span class="bk-lang">{el.language || 'text'}</span>
        <button type="button" class="bk-copy" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code class={el.language ? 'language-' + el.language : undefined}>{el.code}</code>
      </pre>
    </div>
  );
}

function Divider() {
  return <hr class="bk-rule" />;
}

function Metric({ el }: { el: MetricEl }) {
  const delta = el.delta?.trim();
  let cls = 'bk-delta';
  let arrow = '';
  if (delta) {
    const down = delta.startsWith('-') || delta.startsWith('−');
    arrow = down ? '▼' : '▲';
    const color = el.delta_color ?? 'normal';
    if (color === 'off') cls += ' bk-off';
    else cls += (down !== (color === 'inverse')) ? ' bk-bad' : ' bk-good';
  }
  return (
    <div class="bk-metric-box">
      <div class="bk-metric-label">
        {el.label}
        <Help text={el.help} />
      </div>
      <div class="bk-metric-value">{el.value}</div>
      {delta && (
        <div class={cls}>
          <span aria-hidden="true">{arrow}</span> {delta.replace(/^[-−+]/, '')}
        </div>
      )}
    </div>
  );
}

const ICONS: Record<AlertLevel, string> = {
  success: '✓',
  info: 'i',
  warning: '!',
  error: '✕',
};

function Alert({ el }: { el: AlertEl }) {
  const level = ICONS[el.level] ? el.level : 'info';
  return (
    <div class={'bk-alert-box bk-' + level} role={level === 'error' || level === 'warning' ? 'alert' : 'status'}>
      <span class="bk-alert-icon" aria-hidden="true">
        {ICONS[level]}
      </span>
      <div class="bk-md" dangerouslySetInnerHTML={{ __html: el.html }} />
    </div>
  );
}

function Exception({ el }: { el: ExceptionEl }) {
  return (
    <div class="bk-exc" role="alert">
      <div class="bk-exc-message">{el.message}</div>
      {el.location && <div class="bk-exc-loc">at {el.location}</div>}
      {el.detail && (
        <details class="bk-exc-detail">
          <summary>Details</summary>
          <pre>{el.detail}</pre>
        </details>
      )}
    </div>
  );
}

function Progress({ el }: { el: ProgressEl }) {
  const v = Math.max(0, Math.min(1, Number(el.value) || 0));
  const pct = Math.round(v * 100);
  return (
    <div class="bk-progress-box">
      {el.text && <div class="bk-progress-text">{el.text}</div>}
      <div
        class="bk-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={el.text || 'Progress'}
      >
        <div class="bk-bar-fill" style={{ width: v * 100 + '%' }} />
      </div>
    </div>
  );
}

function Spinner({ el }: { el: SpinnerEl }) {
  return (
    <div class="bk-spinner-box" role="status">
      <span class="bk-spin" aria-hidden="true" />
      <span>{el.text}</span>
    </div>
  );
}

function Empty() {
  return null;
}

export const LEAVES: Record<string, FunctionComponent<any>> = {
  title: Title,
  header: Header,
  subheader: Header,
  markdown: Markdown,
  text: Text,
  caption: Text,
  code: Code,
  divider: Divider,
  metric: Metric,
  alert: Alert,
  exception: Exception,
  progress: Progress,
  spinner: Spinner,
  empty: Empty,
};
