// Just enough of React's hooks (useState, useEffect, useRef) to run one hook outside a DOM:
// renders synchronously, runs effects after each render, re-renders on state changes.

let current = null;

/** Renders `hook(...args)`; returns the latest result, `rerender(...args)` and `unmount()`. */
export function renderHook(hook, ...args) {
  const instance = { hooks: [], index: 0, effects: [], busy: false, dirty: false, unmounted: false, result: undefined };
  function render() {
    do {
      instance.dirty = false;
      instance.busy = true;
      instance.index = 0;
      instance.effects = [];
      current = instance;
      instance.result = hook(...args);
      current = null;
      for (const { slot, effect } of instance.effects) {
        slot.cleanup?.();
        slot.cleanup = effect();
      }
      instance.busy = false;
    } while (instance.dirty && !instance.unmounted);
  }
  instance.render = render;
  render();
  return {
    get result() {
      return instance.result;
    },
    rerender(...next) {
      args = next;
      render();
    },
    unmount() {
      instance.unmounted = true;
      for (const slot of instance.hooks) slot?.cleanup?.();
    },
  };
}

function slot(create) {
  const instance = current;
  const index = instance.index++;
  if (!(index in instance.hooks)) instance.hooks[index] = create();
  return [instance, instance.hooks[index]];
}

export function useState(initial) {
  const [instance, state] = slot(() => ({ value: initial }));
  const set = (value) => {
    const next = typeof value === 'function' ? value(state.value) : value;
    if (Object.is(next, state.value) || instance.unmounted) return;
    state.value = next;
    if (instance.busy) instance.dirty = true;
    else instance.render();
  };
  return [state.value, set];
}

export function useRef(initial) {
  return slot(() => ({ current: initial }))[1];
}

export function useEffect(effect, deps) {
  const [instance, state] = slot(() => ({ deps: undefined, cleanup: undefined }));
  const changed = !deps || !state.deps || deps.some((dep, i) => !Object.is(dep, state.deps[i]));
  if (!changed) return;
  state.deps = deps;
  instance.effects.push({ slot: state, effect });
}
