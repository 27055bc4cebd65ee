// Opens one spec in yaml-language-server (the server behind VS Code's YAML extension) the
// way an editor does, and prints as JSON what the editor would show: the diagnostics
// (red squiggles), the completion items at LINE:COLUMN and the hover text at LINE:COLUMN
// (1-based lines, 0-based columns). The schema comes from the file's modeline.
//
//   node lsp.js <spec.yaml> <complete-at> <hover-at>
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const [file, completeAt, hoverAt] = process.argv.slice(2);
const uri = 'file://' + path.resolve(file);
const text = fs.readFileSync(file, 'utf8');
const server = spawn(process.execPath, [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio']);
const pending = {};
const result = { diagnostics: null, completion: [], hover: '' };
let buffer = Buffer.alloc(0);
let id = 0;
function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) {
  return new Promise((resolve) => { pending[++id] = resolve; send({ id, method, params }); });
}
server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const head = buffer.indexOf('\r\n\r\n');
    if (head < 0) return;
    const length = parseInt(/Content-Length: (\d+)/.exec(buffer.subarray(0, head).toString())[1], 10);
    if (buffer.length < head + 4 + length) return;
    const message = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString());
    buffer = buffer.subarray(head + 4 + length);
    if (message.id !== undefined && pending[message.id] && !message.method) {
      pending[message.id](message.result);
      delete pending[message.id];
    } else if (message.method === 'textDocument/publishDiagnostics') {
      result.diagnostics = message.params.diagnostics.map((d) => [d.range.start.line + 1, d.message]);
    } else if (message.method === 'workspace/configuration') {
      send({ id: message.id, result: message.params.items.map(() => ({ validate: true, completion: true, hover: true })) });
    } else if (message.id !== undefined && message.method) {
      send({ id: message.id, result: null });
    }
  }
});
const position = (at) => { const [line, character] = at.split(':').map(Number); return { line: line - 1, character }; };
(async () => {
  await request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  send({ method: 'initialized', params: {} });
  send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false } } } } });
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } });
  for (let waited = 0; result.diagnostics === null && waited < 20000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // A later publication (once the schema is loaded) replaces an early one.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const completion = await request('textDocument/completion', { textDocument: { uri }, position: position(completeAt) });
  result.completion = ((completion && (completion.items || completion)) || []).map((item) => item.label);
  const hover = await request('textDocument/hover', { textDocument: { uri }, position: position(hoverAt) });
  result.hover = (hover && hover.contents && hover.contents.value) || '';
  console.log(JSON.stringify(result));
  server.kill();
  process.exit(0);
})();
