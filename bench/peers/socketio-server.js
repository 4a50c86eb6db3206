// The Socket.IO peer for bench/loadtest.sh: a plain room broadcast, nothing stored, no checks.
// A client joins a room with an acknowledged "join" event; an acknowledged "chat" event
// {room, text} goes to everyone in that room (the sender included, as on Parley's bridge).
// Usage: PORT=3000 node bench/peers/socketio-server.js
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 3000);
const io = new Server(port, { transports: ["websocket"], serveClient: false, perMessageDeflate: false });

io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(String(room));
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("chat", (msg, ack) => {
    io.to(String(msg.room)).emit("chat", msg);
    if (typeof ack === "function") ack({ ok: true });
  });
});

console.log(`socket.io peer listening on ${port}`);
process.on("SIGTERM", () => io.close(() => process.exit(0)));
