// A small event emitter. Each module that has something to announce owns one and exposes
// its on(); the page (console.js) subscribes one module to another. No module reaches
// into another's state.

/**
 * Returns {on(type, listener) → unsubscribe, emit(type, detail)}. Listeners run
 * synchronously, in the order they subscribed; one that throws does not stop the others
 * (the error is reported to the browser's console).
 */
export function createEmitter() {
  const listeners = new Map(); // type → Set of listeners

  return {
    on(type, listener) {
      if (!listeners.has(type)) {
        listeners.set(type, new Set());
      }
      listeners.get(type).add(listener);
      return () => listeners.get(type)?.delete(listener);
    },
    emit(type, detail) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          listener(detail);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  };
}
