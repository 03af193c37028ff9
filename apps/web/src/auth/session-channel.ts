/**
 * Tells the other tabs of this browser (same origin) that the person signed out, so every tab signs
 * out at once rather than showing private pages until its next request. BroadcastChannel does not
 * deliver to the channel object that sent the message, but this tab's own listener is another object
 * and hears it too: the auth context ignores it once the tab is signed out.
 */
const CHANNEL = 'todo-session';
const SIGNED_OUT = 'signed-out';

export function announceSignOut(): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(SIGNED_OUT);
  channel.close();
}

/** Calls `onSignedOut` when another tab signs out; the returned function stops listening. */
export function listenForSignOut(onSignedOut: () => void): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent) => {
    if (event.data === SIGNED_OUT) onSignedOut();
  };
  return () => channel.close();
}
