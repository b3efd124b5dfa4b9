// Work in progress: a progress bar and a spinner.

import type { ProgressEl, SpinnerEl } from '../../protocol';
import type { LeafProps } from '../props';

export function Progress({ el }: LeafProps<ProgressEl>) {
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

export function Spinner({ el }: LeafProps<SpinnerEl>) {
  return (
    <div class="bk-spinner-box" role="status">
      <span class="bk-spin" aria-hidden="true" />
      <span>{el.text}</span>
    </div>
  );
}
