// gongwen serve: the page's script. It talks to the API in engine/serve/gw_serve_api.c:
// a pause in typing rebuilds the PDF (shown with pdf.js) and re-checks the text; findings
// are listed with line:col, move the editor there, and offer their suggestion as a button.
'use strict';

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get('token');
const tokenQuery = token ? 'token=' + encodeURIComponent(token) : '';
const PAUSE_MS = 400;

const state = {
  name: '',         // the document's name in DIR ('' = not saved yet)
  pdf: null,        // the last good PDF (Uint8Array)
  builds: 0,        // finished builds
  timer: 0,
  running: false,
  again: false,
};

function url(path, args) {
  const q = new URLSearchParams(args || {});
  if (token) q.set('token', token);
  const s = q.toString();
  return s ? path + '?' + s : path;
}

async function api(path, args, body) {
  const opts = { headers: { 'X-Gongwen': '1' } };
  if (token) opts.headers['X-Gongwen-Token'] = token;
  if (body !== undefined) {
    opts.method = 'POST';
    opts.body = body;
  }
  const resp = await fetch(url(path, args), opts);
  let data = null;
  try { data = await resp.json(); } catch (e) { data = { error: '服务器的回答无法读取' }; }
  if (!resp.ok && !data.error) data.error = 'HTTP ' + resp.status;
  return data;
}

function setStatus(text, bad) {
  $('status').textContent = text;
  $('status').className = bad ? 'bad' : '';
}

// ---- editor with line numbers ----
// The editor wraps long paragraphs; each line number is as tall as its line
// wraps to, measured on a hidden copy of the text with the editor's width.
const mirror = document.createElement('div');
mirror.id = 'mirror';

function renderGutter() {
  const t = $('text');
  const lines = t.value.split('\n');
  const style = getComputedStyle(t);
  mirror.style.width = (t.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)) + 'px';
  mirror.replaceChildren(...lines.map((l) => {
    const d = document.createElement('div');
    d.textContent = l || '\u200b';
    return d;
  }));
  const gutter = $('gutter');
  gutter.replaceChildren(...Array.from(mirror.children, (d, i) => {
    const n = document.createElement('div');
    n.textContent = i + 1;
    n.style.height = d.offsetHeight + 'px';
    return n;
  }));
  gutter.scrollTop = t.scrollTop;
}

// Offset (UTF-16) in the text of line:col (col counts characters, from 1).
function offsetOf(line, col) {
  const lines = $('text').value.split('\n');
  let off = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) off += lines[i].length + 1;
  const chars = Array.from(lines[line - 1] || '');
  return off + chars.slice(0, Math.max(0, col - 1)).join('').length;
}

function goTo(line, col) {
  const t = $('text');
  const off = offsetOf(line, col);
  t.focus();
  t.setSelectionRange(off, off);
  const row = mirror.children[line - 1];
  if (row) t.scrollTop = Math.max(0, row.offsetTop - 3 * 22);
  $('gutter').scrollTop = t.scrollTop;
}

// ---- findings ----
const FINDING = /^(.*?):(\d+):(\d+): (error|warning|note)(?:\[([^\]]+)\])?: (.*)$/;
const SUGGEST = /\(suggest: “(.*?)” → “(.*?)”\)/;
const SEVERITY = { error: '错误', warning: '警告', note: '提示' };

function parseLog(log) {
  const out = [];
  for (const line of (log || '').split('\n')) {
    const m = FINDING.exec(line);
    if (m) {
      const s = SUGGEST.exec(m[6]);
      out.push({ line: +m[2], col: +m[3], severity: m[4], rule: m[5] || '', message: m[6],
                 from: s ? s[1] : null, to: s ? s[2] : null });
    } else if (line.trim()) {
      out.push({ line: 0, col: 0, severity: /error/.test(line) ? 'error' : 'note', rule: '',
                 message: line });
    }
  }
  return out;
}

function applySuggestion(f) {
  const t = $('text');
  const lines = t.value.split('\n');
  const text = lines[f.line - 1];
  if (text === undefined) return false;
  // the occurrence of `from` nearest the finding's column
  const chars = Array.from(text);
  const from = Array.from(f.from);
  let best = -1;
  for (let i = 0; i + from.length <= chars.length; i++) {
    if (chars.slice(i, i + from.length).join('') === f.from &&
        (best < 0 || Math.abs(i + 1 - f.col) < Math.abs(best + 1 - f.col))) best = i;
  }
  if (best < 0) return false;
  chars.splice(best, from.length, ...Array.from(f.to));
  lines[f.line - 1] = chars.join('');
  t.value = lines.join('\n');
  renderGutter();
  schedule();
  return true;
}

function showFindings(list) {
  const ol = $('list');
  ol.textContent = '';
  const seen = new Set();
  let shown = 0;
  for (const f of list) {
    const key = f.line + ':' + f.col + ':' + f.message;
    if (seen.has(key)) continue;
    seen.add(key);
    const li = document.createElement('li');
    li.className = f.severity;
    li.dataset.line = f.line;
    li.dataset.col = f.col;
    if (f.line) {
      const w = document.createElement('span');
      w.className = 'where';
      w.textContent = f.line + ':' + f.col;
      li.appendChild(w);
    }
    const sev = document.createElement('span');
    sev.className = 'sev';
    sev.textContent = (SEVERITY[f.severity] || f.severity) + (f.rule ? '[' + f.rule + ']' : '') + ' ';
    li.appendChild(sev);
    li.appendChild(document.createTextNode(f.message));
    if (f.from !== null && f.line) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'apply';
      b.textContent = '应用';
      b.title = '把“' + f.from + '”改为“' + f.to + '”';
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        if (!applySuggestion(f)) setStatus('这一处已经改过了', true);
      });
      li.appendChild(b);
    }
    if (f.line) li.addEventListener('click', () => goTo(f.line, f.col));
    ol.appendChild(li);
    shown++;
  }
  $('count').textContent = shown ? '（' + shown + '）' : '（无）';
}

// ---- preview ----
async function showPdf(bytes) {
  const doc = await pdfjsLib.getDocument({ data: bytes, isEvalSupported: false }).promise;
  const box = $('pages');
  const width = Math.max(200, box.clientWidth - 10);
  const canvases = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(2, width / base.width) * (window.devicePixelRatio || 1);
    const vp = page.getViewport({ scale });
    const c = document.createElement('canvas');
    c.width = vp.width;
    c.height = vp.height;
    c.style.width = (vp.width / (window.devicePixelRatio || 1)) + 'px';
    await page.render({ canvasContext: c.getContext('2d'), viewport: vp }).promise;
    canvases.push(c);
  }
  const top = $('preview').scrollTop;
  box.replaceChildren(...canvases);
  box.dataset.pages = doc.numPages;
  $('preview').scrollTop = top;
  doc.destroy();
  return doc.numPages;
}

function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function docArgs() {
  const a = {};
  if (state.name) a.name = state.name;
  if ($('layout').value) a.layout = $('layout').value;
  return a;
}

async function rebuild() {
  if (state.running) { state.again = true; return; }
  state.running = true;
  state.again = false;
  const text = $('text').value;
  setStatus('正在排版…');
  try {
    const nameArgs = state.name ? { name: state.name } : {};
    const [b, c] = await Promise.all([api('/api/build', docArgs(), text),
                                      api('/api/check', nameArgs, text)]);
    if (b.error) {
      setStatus('排版未完成：' + b.error, true);
    } else {
      const findings = parseLog(b.log).concat(parseLog(c.log || ''));
      showFindings(findings);
      if (b.ok) {
        state.pdf = b64bytes(b.pdf);
        const pages = await showPdf(state.pdf);
        $('download').disabled = false;
        setStatus('已排版：共 ' + pages + ' 页，用时 ' + Math.round(b.ms) + ' 毫秒');
      } else {
        setStatus(b.timed_out ? '排版超时，保留上一次的预览' : '排版失败，保留上一次的预览；见检查结果', true);
      }
    }
  } catch (e) {
    setStatus('无法连接服务器：' + e.message, true);
  }
  state.builds++;
  $('pages').dataset.builds = state.builds;
  state.running = false;
  if (state.again) rebuild();
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(rebuild, PAUSE_MS);
}

// ---- documents, starters, layouts ----
async function loadInfo() {
  const info = await api('/api/info');
  const sel = $('doc');
  sel.textContent = '';
  const none = document.createElement('option');
  none.value = '';
  none.textContent = '（未保存的新文档）';
  sel.appendChild(none);
  for (const f of info.files || []) {
    if (f.kind !== 'text') continue;
    const o = document.createElement('option');
    o.value = o.textContent = f.name;
    sel.appendChild(o);
  }
  if ($('kind').options.length === 1) {
    for (const k of info.kinds || []) {
      const o = document.createElement('option');
      o.value = o.textContent = k;
      $('kind').appendChild(o);
    }
  }
  sel.value = state.name;
  return info;
}

async function loadLayouts() {
  const r = await api('/api/layouts');
  let on = false;
  for (const line of (r.text || '').split('\n')) {
    if (/^layouts\b/.test(line)) { on = true; continue; }
    if (/^\S/.test(line)) on = false;
    const m = on && /^\s+(\S+)\s/.exec(line);
    if (m) {
      const o = document.createElement('option');
      o.value = o.textContent = m[1];
      $('layout').appendChild(o);
    }
  }
}

async function openDoc(name) {
  const resp = await fetch(url('/api/file', { name }), { headers: token ? { 'X-Gongwen-Token': token } : {} });
  if (!resp.ok) {
    let msg = 'HTTP ' + resp.status;
    try { msg = (await resp.json()).error; } catch (e) { /* the status says it */ }
    setStatus('无法打开 ' + name + '：' + msg, true);
    return;
  }
  state.name = name;
  $('text').value = await resp.text();
  $('doc').value = name;
  renderGutter();
  rebuild();
}

async function newDoc(kind) {
  const r = await api('/api/new', { kind });
  if (r.error || r.status !== 0) {
    setStatus('无法新建' + kind + '：' + (r.error || r.log), true);
    return;
  }
  state.name = '';
  $('doc').value = '';
  $('text').value = r.text;
  renderGutter();
  rebuild();
}

async function save() {
  let name = state.name;
  if (!name) {
    name = prompt('保存为（文件夹中的文件名，以 .txt 结尾）：', '新文档.txt');
    if (!name) return;
  }
  const r = await api('/api/save', { name }, $('text').value);
  if (r.error) { setStatus('未保存：' + r.error, true); return; }
  state.name = name;
  await loadInfo();
  setStatus('已保存 ' + name);
}

async function fixAll() {
  const r = await api('/api/fix', state.name ? { name: state.name } : {}, $('text').value);
  if (r.error || r.text === null) {
    setStatus('无法修正：' + (r.error || '见检查结果'), true);
    showFindings(parseLog(r.log));
    return;
  }
  $('text').value = r.text;
  renderGutter();
  rebuild();
}

function download() {
  if (!state.pdf) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([state.pdf], { type: 'application/pdf' }));
  a.download = (state.name || '文档.txt').replace(/\.txt$/i, '').split('/').pop() + '.pdf';
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

async function upload(file) {
  const dir = state.name.includes('/') ? state.name.replace(/[^/]*$/, '') : '';
  const r = await api('/api/upload', { name: dir + file.name }, await file.arrayBuffer());
  if (r.error) { setStatus('未上传：' + r.error, true); return; }
  setStatus('已上传 ' + r.saved + '；正文中按文件名引用它');
  schedule();
}

async function start() {
  $('editor').appendChild(mirror);
  window.addEventListener('resize', renderGutter);
  pdfjsLib.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.js' + (tokenQuery ? '?' + tokenQuery : '');
  $('text').addEventListener('input', () => { renderGutter(); schedule(); });
  $('text').addEventListener('scroll', () => { $('gutter').scrollTop = $('text').scrollTop; });
  $('doc').addEventListener('change', (e) => { if (e.target.value) openDoc(e.target.value); });
  $('kind').addEventListener('change', (e) => { if (e.target.value) newDoc(e.target.value); e.target.value = ''; });
  $('layout').addEventListener('change', rebuild);
  $('save').addEventListener('click', save);
  $('fixall').addEventListener('click', fixAll);
  $('download').addEventListener('click', download);
  $('upload').addEventListener('change', (e) => { if (e.target.files[0]) upload(e.target.files[0]); e.target.value = ''; });
  const info = await loadInfo();
  await loadLayouts();
  const first = (info.files || []).find((f) => f.kind === 'text');
  if (first) await openDoc(first.name);
  else await newDoc('简报');
}

start().catch((e) => setStatus('启动失败：' + e.message, true));
