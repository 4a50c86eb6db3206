// The web client's vendored Automerge under Node, for tests: reads one JSON request on stdin,
// writes one JSON answer on stdout. Request: {vendor: dir of js/vendor/automerge, state?: base64 of
// a saved document, apply?: [base64 updates], edits?: [edit], chain?: boolean}; an edit is
// {at, insert?, delete?} (a splice of the text), {replaceText: "..."} (assigns a new text object)
// or {setKey: name} (adds a root key). Answer: {text (state + apply), changes: [base64 per edit],
// merged (text after every change), saved (base64 of the merged document)}. Edits are made each on
// its own copy of the base (concurrently), or with chain each on top of the previous one.
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';

const request = JSON.parse(readFileSync(0, 'utf8'));
const A = await import(pathToFileURL(request.vendor + '/entrypoints/slim.js').href);
await A.initializeWasm(readFileSync(request.vendor + '/wasm_bindgen_output/web/automerge_wasm_bg.wasm'));
const bytes = (b64) => new Uint8Array(Buffer.from(b64, 'base64'));
const b64 = (u8) => Buffer.from(u8).toString('base64');

let base = request.state ? A.load(bytes(request.state)) : A.init();
for (const u of request.apply || []) base = A.loadIncremental(base, bytes(u));
const changes = [];
let previous = base;
for (const edit of request.edits || []) {
  const from = request.chain ? previous : A.clone(base);
  const next = A.change(from, (d) => {
    if (edit.replaceText !== undefined) d.text = edit.replaceText;
    else if (edit.setKey !== undefined) d[edit.setKey] = 1;
    else A.splice(d, ['text'], edit.at, edit.delete || 0, edit.insert || '');
  });
  changes.push(b64(A.getLastLocalChange(next)));
  previous = next;
}
let merged = previous; // chained: the last edit's document holds them all
if (!request.chain) {
  merged = A.clone(base);
  for (const c of changes) merged = A.loadIncremental(merged, bytes(c));
}
process.stdout.write(JSON.stringify({ text: base.text ?? null, changes, merged: merged.text ?? null, saved: b64(A.save(merged)) }));
