/**
 * The state of one button's action (save, reset, rotate…) for {@link StatusButton}: busy while
 * it runs, then done with a message or failed with the reason.
 */
import { ref, type Ref } from 'vue';

export type ActionState = 'idle' | 'busy' | 'done' | 'failed';

export interface Action {
  state: Ref<ActionState>;
  message: Ref<string>;
  /** Marks the action done with `message`. */
  done(message: string): void;
  /** Marks the action failed with `message`. */
  failed(message: string): void;
  /** Marks it busy and clears the last message. */
  start(): void;
}

/** A fresh action state (idle). */
export function useAction(): Action {
  const state = ref<ActionState>('idle');
  const message = ref('');
  return {
    state,
    message,
    done(m) {
      state.value = 'done';
      message.value = m;
    },
    failed(m) {
      state.value = 'failed';
      message.value = m;
    },
    start() {
      state.value = 'busy';
      message.value = '';
    },
  };
}
