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

/**
 * A person's name: from the people in the room, else from the last time they were seen (a
 * presence refresh that briefly misses someone must not relabel their tiles "Guest").
 */
export function nameOf(room, userId) {
  const p = room.participants.get(userId);
  if (p && p.name) {
    room.names.set(userId, p.name);
    return p.name;
  }
  return room.names.get(userId) || 'Guest';
}
