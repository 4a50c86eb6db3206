// The state the views share: the client configuration, who is signed in, and the room (the
// meeting being held, or null).

export const app = {
  config: {iceServers: [], devSignIn: true},
  me: null, // {userId, tenant, name, roles}
  room: null,
  auth: {renewals: 0, lastError: null}, // for the test: token renewals so far
};
// For the end-to-end test and for debugging from the console.
window.__parley = app;

export function nameOf(room, userId) {
  const p = room.participants.get(userId);
  return (p && p.name) || 'Guest';
}
