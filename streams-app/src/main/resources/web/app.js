// streamrec web page: plain JavaScript against the instance's JSON API (no build step).
'use strict';

const $ = (id) => document.getElementById(id);
const state = { user: null, list: null, eventCount: -1, map: [], selected: null, neighbours: [], pendingSince: 0 };
const COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324',
  '#469990', '#800000', '#808000', '#000075', '#bfef45', '#fabed4', '#ffd8b1', '#a9a9a9', '#dcbeff', '#aaffc3', '#ffe119', '#000000'];
const genreColour = {};

// With http.tokens.file set, the API wants a bearer token: asked for once on the first 401, kept for this tab only.
let asked = false;
async function getJson(url, opts) {
  const send = () => {
    const o = Object.assign({}, opts || {});
    const token = sessionStorage.getItem('streamrec-token');
    if (token) o.headers = Object.assign({}, o.headers || {}, { 'Authorization': 'Bearer ' + token });
    return fetch(url, o);
  };
  let res = await send();
  if (res.status === 401 && !asked) {
    asked = true;
    const token = window.prompt('This streamrec API needs a token (Authorization: Bearer ...):');
    if (token) { sessionStorage.setItem('streamrec-token', token.trim()); asked = false; res = await send(); }
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { const e = new Error(body.error || res.statusText); e.status = res.status; throw e; }
  return body;
}

const fmt = (v, d) => v === null || v === undefined ? '-' : Number(v).toFixed(d);

// ---- status line ----
let lastEvents = null, lastTime = 0;
async function refreshStatus() {
  try {
    const s = await getJson('/status');
    const now = performance.now();
    const rate = lastEvents === null ? 0 : (s.events - lastEvents) / ((now - lastTime) / 1000);
    lastEvents = s.events; lastTime = now;
    $('status').textContent = `${s.state} · model ${s.modelVersion} · events/s ${rate.toFixed(0)} · events ${s.events} · users ${s.users ?? '-'}`
      + ` · DLQ ${s.deadLetters} · latency p50 ${fmt(s.latencyP50Ms, 0)} ms p99 ${fmt(s.latencyP99Ms, 0)} ms`
      + ` · live RMSE ${fmt(s.liveRmse, 3)} · HR@10 ${fmt(s.liveHitRate, 3)}`;
  } catch (e) { $('status').textContent = 'status unavailable: ' + e.message; }
}

// ---- users ----
async function loadUsers() {
  try {
    const users = await getJson('/users?limit=200');
    const sel = $('user-select');
    const current = sel.value;
    sel.innerHTML = '<option value="">choose a user…</option>' + users.map(u =>
      `<option value="${u.userId}">user ${u.userId} (${u.eventCount} events)</option>`).join('');
    if (state.user !== null) sel.value = String(state.user); else if (current) sel.value = current;
  } catch (e) { /* store not ready yet: try again on the next tick */ }
}

function chooseUser(id) {
  if (id === '' || id === null || isNaN(Number(id))) return;
  state.user = Number(id); state.list = null; state.eventCount = -1;
  const params = new URLSearchParams(location.search);
  params.set('user', state.user);
  history.replaceState(null, '', '?' + params);
  $('user-info').textContent = 'loading user ' + state.user + '…';
  refreshList();
}

async function refreshList() {
  if (state.user === null) return;
  const user = state.user;
  try {
    const r = await getJson(`/users/${user}/recommendations`);
    if (user !== state.user || r.eventCount === state.eventCount) return;
    const before = new Set((state.list || []).map(m => m.movieId));
    state.list = r.movies; state.eventCount = r.eventCount;
    const took = state.pendingSince ? ` — updated ${Math.round(performance.now() - state.pendingSince)} ms after your rating` : '';
    state.pendingSince = 0;
    $('user-info').innerHTML = `user <b>${user}</b> · <span id="event-count">${r.eventCount}</span> events folded in · model ${escapeHtml(r.modelVersion)}`
      + `<span class="flash-msg">${took}</span>`;
    $('recs').innerHTML = r.movies.map(m => `<li data-movie-id="${m.movieId}" class="${before.size && !before.has(m.movieId) ? 'new' : ''}">
        <span class="title" data-movie-id="${m.movieId}">${escapeHtml(m.title)}</span>
        <span class="rate">${[1, 2, 3, 4, 5].map(v => `<button type="button" class="rate-btn" data-movie-id="${m.movieId}" data-rating="${v}" title="rate ${v}">★${v}</button>`).join('')}</span>
        <div class="meta">${escapeHtml(m.genres.join(', '))}${m.year ? ' · ' + m.year : ''} · score ${m.score.toFixed(3)}</div></li>`).join('');
    drawMap();
  } catch (e) {
    if (user === state.user) $('user-info').textContent = e.message;
  }
}

async function rate(movieId, rating) {
  if (state.user === null) { alert('choose a user first'); return; }
  try {
    state.pendingSince = performance.now();
    await getJson('/events', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: state.user, movieId: Number(movieId), rating: Number(rating) }) });
  } catch (e) { state.pendingSince = 0; alert('rating refused: ' + e.message); }
}

// ---- map ----
async function loadMap() {
  state.map = await getJson('/movies/map');
  const genres = [...new Set(state.map.map(p => p.genre))].sort();
  genres.forEach((g, i) => genreColour[g] = COLOURS[i % COLOURS.length]);
  $('legend').innerHTML = genres.map(g => `<span style="--c:${genreColour[g]}">${escapeHtml(g)}</span>`).join('');
  drawMap();
}

function project() {
  const c = $('map'), pad = 16;
  const xs = state.map.map(p => p.x), ys = state.map.map(p => p.y);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const sx = (c.width - 2 * pad) / ((maxX - minX) || 1), sy = (c.height - 2 * pad) / ((maxY - minY) || 1);
  return p => [pad + (p.x - minX) * sx, c.height - pad - (p.y - minY) * sy];
}

function drawMap() {
  const c = $('map'), g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  if (!state.map.length) return;
  const at = project();
  const byId = new Map(state.map.map(p => [p.movieId, p]));
  const maxPop = Math.max(1, ...state.map.map(p => p.popularity));
  g.globalAlpha = 0.55;
  for (const p of state.map) {
    const [x, y] = at(p);
    g.fillStyle = genreColour[p.genre];
    g.beginPath(); g.arc(x, y, 1.5 + 3 * Math.sqrt(p.popularity / maxPop), 0, 2 * Math.PI); g.fill();
  }
  g.globalAlpha = 1;
  const ring = (p, colour, r) => { const [x, y] = at(p); g.strokeStyle = colour; g.lineWidth = 2; g.beginPath(); g.arc(x, y, r, 0, 2 * Math.PI); g.stroke(); };
  for (const m of state.list || []) { const p = byId.get(m.movieId); if (p) ring(p, '#1d2330', 7); }
  if (state.selected) {
    const s = byId.get(state.selected.movieId);
    for (const n of state.neighbours) {
      const p = byId.get(n.movieId); if (!p || !s) continue;
      const [x1, y1] = at(s), [x2, y2] = at(p);
      g.strokeStyle = 'rgba(255,140,0,.7)'; g.lineWidth = 1; g.beginPath(); g.moveTo(x1, y1); g.lineTo(x2, y2); g.stroke();
      ring(p, '#ff8c00', 5);
    }
    if (s) ring(s, '#ff3b00', 8);
  }
}

function nearestPoint(ev) {
  const c = $('map'), rect = c.getBoundingClientRect();
  const mx = (ev.clientX - rect.left) * c.width / rect.width, my = (ev.clientY - rect.top) * c.height / rect.height;
  const at = project();
  let best = null, bestD = 100;
  for (const p of state.map) { const [x, y] = at(p); const d = (x - mx) ** 2 + (y - my) ** 2; if (d < bestD) { best = p; bestD = d; } }
  return best;
}

async function selectMovie(movieId) {
  try {
    const [movie, neighbours] = await Promise.all([getJson(`/movies/${movieId}`), getJson(`/movies/${movieId}/similar?k=10`)]);
    state.selected = movie; state.neighbours = neighbours;
    $('movie').classList.remove('hidden');
    $('movie-title').textContent = movie.title + (movie.year ? ` (${movie.year})` : '');
    $('movie-genres').textContent = movie.genres.join(', ');
    $('movie-rate').innerHTML = 'rate: ' + [1, 2, 3, 4, 5].map(v => `<button type="button" class="rate-btn" data-movie-id="${movie.movieId}" data-rating="${v}">★${v}</button>`).join('');
    $('neighbours').innerHTML = neighbours.map(n => `<li><span class="title" data-movie-id="${n.movieId}">${escapeHtml(n.title)}</span>
      <span class="meta">cos ${n.score.toFixed(3)} · ${escapeHtml(n.genres.join(', '))}</span></li>`).join('');
    drawMap();
  } catch (e) { alert(e.message); }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
}

// ---- wiring ----
document.addEventListener('click', ev => {
  const t = ev.target;
  if (t.classList.contains('rate-btn')) rate(t.dataset.movieId, t.dataset.rating);
  else if (t.classList.contains('title') && t.dataset.movieId) selectMovie(t.dataset.movieId);
});
$('map').addEventListener('click', ev => { const p = nearestPoint(ev); if (p) selectMovie(p.movieId); });
$('user-select').addEventListener('change', ev => chooseUser(ev.target.value));
$('user-go').addEventListener('click', () => chooseUser($('user-input').value));
$('user-input').addEventListener('keydown', ev => { if (ev.key === 'Enter') chooseUser(ev.target.value); });

const initial = new URLSearchParams(location.search).get('user');
loadMap().catch(e => { $('legend').textContent = 'map unavailable: ' + e.message; });
loadUsers();
if (initial !== null) chooseUser(initial);
const initialMovie = new URLSearchParams(location.search).get('movie');
if (initialMovie !== null) selectMovie(initialMovie);
refreshStatus();
setInterval(refreshStatus, 1000);
setInterval(loadUsers, 10000);
setInterval(refreshList, 300); // a list made by the stream shows up within a third of a second
