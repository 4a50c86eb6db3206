// The whiteboard: a canvas everyone present draws on. Every operation goes over the bridge
// (whiteboard.draw), comes back on meeting.{id}.whiteboard with the meeting's gapless seq, and the
// board is redrawn from the operations in seq order (as the server replays and renders it).
// Someone who joins late, or reconnects, fetches what they missed with ?after=<last seq>.

import {get} from '../api.js';
import {$} from '../dom.js';
import {app} from '../state.js';

const DRAWN = new Set(['stroke', 'shape', 'text']);
const POINTER_EVERY_MS = 100;
const MAX_POINTS = 2000;

export function wireWhiteboard() {
  const canvas = $('board');
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointerleave', up);
  $('board-undo').addEventListener('click', () => send(app.room, {type: 'undo'}));
  $('board-clear').addEventListener('click', () => send(app.room, {type: 'clear'}));
}

/** Called on entering a room: an empty board, then everything drawn so far. */
export async function loadBoard(room) {
  room.board = {ops: new Map(), lastSeq: 0, pointers: new Map(), drag: null, lastPointer: 0};
  $('board-status').textContent = '';
  $('board-clear').hidden = !(room.meeting && (room.meeting.role === 'host' || room.meeting.role === 'cohost'));
  await replayBoard(room);
}

/** Everything after the last operation seen. */
export async function replayBoard(room) {
  const board = room.board;
  try {
    for (let page = 0; page < 100; page++) {
      const body = await get(`/meetings/${room.meetingId}/whiteboard?after=${board.lastSeq}&limit=1000`);
      if (app.room !== room) return;
      body.ops.forEach((op) => addOp(room, op, false));
      if (!body.more || body.ops.length === 0) break;
    }
    redraw(room);
  } catch (e) {
    $('board-status').textContent = `Could not load the whiteboard: ${e.message}`;
  }
}

/** A message on meeting.{id}.whiteboard: a stored operation, or someone's pointer. */
export function onBoardMessage(room, message) {
  if (app.room !== room || !room.board) return;
  if (message.kind === 'pointer') {
    if (message.userId === app.me.userId) return;
    room.board.pointers.set(message.userId, {name: message.name, x: message.x, y: message.y, at: Date.now()});
    redraw(room);
    return;
  }
  addOp(room, message, true);
}

function addOp(room, entry, live) {
  const board = room.board;
  if (typeof entry.seq !== 'number' || board.ops.has(entry.seq)) return;
  const gap = live && entry.seq > board.lastSeq + 1;
  board.ops.set(entry.seq, entry);
  board.lastSeq = Math.max(board.lastSeq, entry.seq);
  if (live) redraw(room);
  if (gap) replayBoard(room); // a live op overtook ones not seen yet
}

/** The strokes, shapes and texts still on the board, in seq order. */
export function visible(board) {
  const drawn = new Map();
  for (const seq of [...board.ops.keys()].sort((a, b) => a - b)) {
    const op = board.ops.get(seq).op;
    if (DRAWN.has(op.type)) drawn.set(seq, op);
    else if (op.type === 'erase' || op.type === 'undo') drawn.delete(op.target);
    else if (op.type === 'clear') drawn.clear();
  }
  return [...drawn.entries()].map(([seq, op]) => ({seq, op}));
}

/** Paints the board: the drawings, the shape being dragged, and others' pointers (for 5 s after they moved). */
export function redraw(room) {
  const canvas = $('board');
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  for (const {op} of visible(room.board)) paint(g, op);
  const drag = room.board.drag;
  if (drag) paint(g, preview(drag));
  const now = Date.now();
  for (const [userId, p] of room.board.pointers) {
    if (now - p.at > 5000) {
      room.board.pointers.delete(userId);
      continue;
    }
    g.fillStyle = '#d33682';
    g.beginPath();
    g.arc(p.x, p.y, 8, 0, Math.PI * 2);
    g.fill();
    g.font = '20px sans-serif';
    g.fillText(p.name || '', p.x + 12, p.y - 12);
  }
}

function paint(g, op) {
  g.strokeStyle = op.color;
  g.fillStyle = op.color;
  g.lineWidth = op.width || 1;
  g.lineCap = 'round';
  g.lineJoin = 'round';
  if (op.type === 'stroke') {
    const p = op.points;
    if (p.length === 2) {
      g.beginPath();
      g.arc(p[0], p[1], op.width / 2, 0, Math.PI * 2);
      g.fill();
      return;
    }
    g.beginPath();
    g.moveTo(p[0], p[1]);
    for (let i = 2; i < p.length; i += 2) g.lineTo(p[i], p[i + 1]);
    g.stroke();
  } else if (op.type === 'shape') {
    const {x1, y1, x2, y2} = op;
    g.beginPath();
    if (op.shape === 'rect') g.rect(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
    else if (op.shape === 'ellipse') g.ellipse((x1 + x2) / 2, (y1 + y2) / 2, Math.abs(x2 - x1) / 2, Math.abs(y2 - y1) / 2, 0, 0, Math.PI * 2);
    else {
      g.moveTo(x1, y1);
      g.lineTo(x2, y2);
    }
    if (op.fill && op.shape !== 'line' && op.shape !== 'arrow') {
      g.fillStyle = op.fill;
      g.fill();
    }
    g.stroke();
    if (op.shape === 'arrow') {
      const angle = Math.atan2(y2 - y1, x2 - x1);
      const length = Math.max(12, op.width * 4);
      g.fillStyle = op.color;
      g.beginPath();
      g.moveTo(x2, y2);
      g.lineTo(x2 - length * Math.cos(angle - Math.PI / 7), y2 - length * Math.sin(angle - Math.PI / 7));
      g.lineTo(x2 - length * Math.cos(angle + Math.PI / 7), y2 - length * Math.sin(angle + Math.PI / 7));
      g.closePath();
      g.fill();
    }
  } else if (op.type === 'text') {
    g.font = `${op.size}px sans-serif`;
    g.fillText(op.text, op.x, op.y);
  }
}

/** Board units (the canvas's own size) of a pointer event, kept on the board. */
function at(event) {
  const canvas = $('board');
  const box = canvas.getBoundingClientRect();
  const x = ((event.clientX - box.left) / box.width) * canvas.width;
  const y = ((event.clientY - box.top) / box.height) * canvas.height;
  return [Math.min(canvas.width, Math.max(0, Math.round(x * 10) / 10)), Math.min(canvas.height, Math.max(0, Math.round(y * 10) / 10))];
}

function down(event) {
  const room = app.room;
  if (!room || !room.board) return;
  const [x, y] = at(event);
  const tool = $('board-tool').value;
  const color = $('board-color').value;
  const width = Number($('board-width').value) || 4;
  if (tool === 'text') {
    const text = $('board-text').value.trim();
    if (text) send(room, {type: 'text', x, y, text, color, size: Math.max(12, width * 6)});
    else $('board-status').textContent = 'Write the text first, then click where it goes.';
    return;
  }
  $('board').setPointerCapture(event.pointerId);
  room.board.drag = {tool, color, width, points: [x, y], start: [x, y], end: [x, y]};
}

function move(event) {
  const room = app.room;
  if (!room || !room.board) return;
  const [x, y] = at(event);
  const now = Date.now();
  if (now - room.board.lastPointer > POINTER_EVERY_MS && room.bridge && room.bridge.state === 'connected') {
    room.board.lastPointer = now;
    room.bridge.request('whiteboard.pointer', {meetingId: room.meetingId, x, y}).catch(() => {});
  }
  const drag = room.board.drag;
  if (!drag) return;
  drag.end = [x, y];
  const n = drag.points.length;
  if (drag.tool === 'pen' && n / 2 < MAX_POINTS && Math.hypot(x - drag.points[n - 2], y - drag.points[n - 1]) >= 2) {
    drag.points.push(x, y);
  }
  redraw(room);
}

function up() {
  const room = app.room;
  if (!room || !room.board || !room.board.drag) return;
  const drag = room.board.drag;
  room.board.drag = null;
  send(room, preview(drag));
}

function preview(drag) {
  if (drag.tool === 'pen') return {type: 'stroke', points: drag.points, color: drag.color, width: drag.width};
  return {type: 'shape', shape: drag.tool, x1: drag.start[0], y1: drag.start[1], x2: drag.end[0], y2: drag.end[1],
    color: drag.color, width: drag.width};
}

async function send(room, op) {
  if (!room || !room.bridge) return;
  try {
    const reply = await room.bridge.request('whiteboard.draw', {meetingId: room.meetingId, clientId: crypto.randomUUID(), op});
    $('board-status').textContent = '';
    addOp(room, {seq: reply.seq, senderId: app.me.userId, senderName: app.me.name, op: reply.op}, true);
  } catch (e) {
    $('board-status').textContent = e.code === 409 ? 'Nothing of yours to undo.'
      : e.code === 403 ? 'Only the host or a co-host can clear the board.'
        : e.code === 429 ? 'Drawing too fast; wait a moment.' : `Not drawn: ${e.message}`;
    redraw(room);
  }
}
