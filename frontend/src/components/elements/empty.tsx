// A placeholder that draws nothing (its `bk-el` wrapper holds the place).

export function Empty() {
  return null;
}
