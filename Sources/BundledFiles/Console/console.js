// The peergate web console: login, channels with live state, live view (WebRTC viewer),
// a day timeline of recordings with playback from any moment, span download, and
// starting/stopping recorders. Talks only to peergate's API with the session cookie.
import { watchChannel } from '/console/peergate-signaling.js';

const $ = id => document.getElementById(id);
const DAY = 86400000;
let watching = null;
let recordingsChannel = null;
let daySegments = [];
/** The part of the day the timeline shows: the recorded hours (at least one). */
let view = { start: 0, length: DAY };

/** Shows a sentence in the status line (red for errors). */
function say(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

/** A JSON call to the API; throws an Error carrying the server's message. */
async function api(method, path, body) {
  const response = await fetch(path, {
    method, credentials: 'same-origin',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    if (response.status === 403 && path !== '/v1/session') showLogin('Your session ended: log in again.');
    throw new Error((data && (data.message || data.Message)) || `${method} ${path} answered ${response.status}`);
  }
  return data;
}

function showLogin(message) {
  $('login').hidden = false;
  $('app').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  if (message) say(message, true);
}

async function showApp(session) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = `logged in as ${session.accessKeyId}`;
  await refreshChannels();
}

function size(bytes) {
  if (bytes >= 1 << 30) return (bytes / (1 << 30)).toFixed(1) + ' GiB';
  if (bytes >= 1 << 20) return (bytes / (1 << 20)).toFixed(1) + ' MiB';
  return (bytes / 1024).toFixed(1) + ' KiB';
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function button(parent, label, onClick) {
  const b = document.createElement('button');
  b.textContent = label;
  b.addEventListener('click', () => onClick().catch(e => say(e.message, true)));
  parent.appendChild(b);
  return b;
}

async function refreshChannels() {
  const { channels } = await api('GET', '/v1/console/channels');
  const rows = $('channel-rows');
  rows.replaceChildren();
  for (const channel of channels) {
    const row = document.createElement('tr');
    row.dataset.channel = channel.name;
    cell(row, channel.name);
    cell(row, channel.masterConnected ? 'connected' : 'absent', channel.masterConnected ? 'on' : 'off');
    cell(row, String(channel.viewers));
    cell(row, channel.recording ? `on (${channel.recorderRole})` : 'off', channel.recording ? 'on' : 'off');
    cell(row, size(channel.recordedBytes));
    const actions = cell(row, '');
    button(actions, 'Watch live', () => watch(channel.name)).className = 'watch';
    button(actions, 'Recordings', () => openRecordings(channel.name)).className = 'recordings';
    if (channel.recording) {
      button(actions, 'Stop recording', async () => { await api('DELETE', `/v1/channels/${encodeURIComponent(channel.name)}/recorder`); say(`Stopped recording ${channel.name}.`); await refreshChannels(); });
    } else {
      button(actions, 'Record', async () => { await api('PUT', `/v1/channels/${encodeURIComponent(channel.name)}/recorder`, { role: 'viewer' }); say(`Recording ${channel.name}.`); await refreshChannels(); });
    }
    rows.appendChild(row);
  }
  if (channels.length === 0) say('No signaling channel yet: create one with the AWS CLI, boto3 or `peergate channels create`.');
}

async function watch(name) {
  if (watching) watching.stop();
  $('live').hidden = false;
  $('live-name').textContent = name;
  const video = $('live-video');
  const issued = await api('GET', `/v1/channels/${encodeURIComponent(name)}/viewer-url`);
  const setState = state => {
    $('live-state').textContent = state;
    if (state === 'failed' || state.startsWith('refused') || state.startsWith('the server')) say(`Live view of ${name}: ${state}.`, true);
    if (state === 'connected') say(`Watching ${name} live.`);
  };
  watching = await watchChannel({ url: issued.url, iceServers: issued.iceServers, video, onState: setState });
  video.play().catch(() => {});
}

function dayStart() {
  const value = $('rec-day').value;
  return value ? Date.parse(value + 'T00:00:00Z') : Math.floor(Date.now() / DAY) * DAY;
}

function iso(ms) { return new Date(ms).toISOString(); }

async function openRecordings(name) {
  recordingsChannel = name;
  $('recordings').hidden = false;
  $('rec-name').textContent = name;
  if (!$('rec-day').value) $('rec-day').value = new Date().toISOString().slice(0, 10);
  await loadDay();
  $('recordings').scrollIntoView({ block: 'start' });
}

async function loadDay() {
  const start = dayStart();
  const base = `/v1/channels/${encodeURIComponent(recordingsChannel)}`;
  let segments = [];
  let gaps = [];
  let next = null;
  do {
    const page = await api('GET', `${base}/segments?from=${iso(start)}&to=${iso(start + DAY)}&limit=5000` + (next ? `&next=${next}` : ''));
    segments = segments.concat(page.segments);
    gaps = gaps.concat(page.gaps);
    next = page.nextToken;
  } while (next);
  daySegments = segments;
  const hour = 3600000;
  if (segments.length) {
    const first = Math.floor((Math.max(Date.parse(segments[0].start), start) - start) / hour) * hour;
    const last = Math.ceil((Math.min(Date.parse(segments[segments.length - 1].end), start + DAY) - start) / hour) * hour;
    view = { start: start + first, length: Math.max(last - first, hour) };
  } else {
    view = { start, length: DAY };
  }
  const labels = $('timeline-scale').children;
  for (let i = 0; i < labels.length; i++) labels[i].textContent = iso(view.start + view.length * i / (labels.length - 1)).slice(11, 16);
  const timeline = $('timeline');
  timeline.querySelectorAll('.segment').forEach(e => e.remove());
  for (const segment of segments) {
    const from = Math.max(Date.parse(segment.start), start);
    const to = Math.min(Date.parse(segment.end), start + DAY);
    const block = document.createElement('div');
    block.className = 'segment' + (segment.state === 'open' ? ' open' : '');
    block.style.left = ((from - view.start) / view.length * 100) + '%';
    block.style.width = ((to - from) / view.length * 100) + '%';
    block.title = `${segment.start} – ${segment.end}`;
    timeline.appendChild(block);
  }
  const seconds = segments.reduce((sum, s) => sum + s.durationSeconds, 0);
  $('rec-summary').textContent = segments.length
    ? `${segments.length} segments, ${(seconds / 60).toFixed(1)} minutes recorded, ${gaps.length} gaps. Click the timeline to play from that moment.`
    : 'Nothing recorded on this day.';
  $('gaps').replaceChildren(...gaps.map(g => { const li = document.createElement('li'); li.textContent = `gap ${g.from} – ${g.to} (${g.seconds.toFixed(1)} s)`; return li; }));
  if (segments.length) {
    $('span-from').value = new Date(Date.parse(segments[0].start)).toISOString().slice(11, 19);
    $('span-to').value = new Date(Math.min(Date.parse(segments[segments.length - 1].end), start + DAY - 1000)).toISOString().slice(11, 19);
  }
  updateDownload();
}

function spanTime(input, fallback) {
  const value = $(input).value;
  return value ? dayStart() + Date.parse('1970-01-01T' + (value.length === 5 ? value + ':00' : value) + 'Z') : fallback;
}

function updateDownload() {
  if (!recordingsChannel) return;
  const from = spanTime('span-from', dayStart());
  const to = spanTime('span-to', dayStart() + DAY);
  const link = $('download');
  link.href = `/v1/channels/${encodeURIComponent(recordingsChannel)}/playback.mp4?from=${iso(from)}&to=${iso(to)}`;
  link.download = `${recordingsChannel}-${iso(from).replace(/[:.]/g, '')}.mp4`;
}

/** Plays the recording from `ms` (wall clock) to the end of the day, across segments. */
function playFrom(ms) {
  const video = $('rec-video');
  const cursor = $('timeline-cursor');
  cursor.style.display = 'block';
  cursor.style.left = ((ms - view.start) / view.length * 100) + '%';
  video.src = `/v1/channels/${encodeURIComponent(recordingsChannel)}/playback.mp4?from=${iso(ms)}&to=${iso(dayStart() + DAY)}`;
  video.play().then(() => say(`Playing ${recordingsChannel} from ${iso(ms)}.`)).catch(e => say(`The recording cannot play: ${e.message}`, true));
}

function onTimelineClick(event) {
  if (!daySegments.length) return say('Nothing recorded on this day.', true);
  const box = $('timeline').getBoundingClientRect();
  let ms = view.start + (event.clientX - box.left) / box.width * view.length;
  // A click in a gap plays from the next recorded moment.
  const next = daySegments.find(s => Date.parse(s.end) > ms);
  if (!next) return say('Nothing recorded after that moment on this day.', true);
  ms = Math.max(ms, Date.parse(next.start));
  playFrom(ms);
}

async function start() {
  $('login-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const session = await api('POST', '/v1/session', { accessKeyId: $('access-key').value.trim(), secretAccessKey: $('secret-key').value });
      $('secret-key').value = '';
      say('Logged in.');
      await showApp(session);
    } catch (e) { say(e.message, true); }
  });
  $('logout').addEventListener('click', async () => { if (watching) watching.stop(); await api('DELETE', '/v1/session'); showLogin(); say('Logged out.'); });
  $('live-stop').addEventListener('click', () => { if (watching) watching.stop(); watching = null; $('live').hidden = true; });
  $('rec-day').addEventListener('change', () => loadDay().catch(e => say(e.message, true)));
  $('span-from').addEventListener('change', updateDownload);
  $('span-to').addEventListener('change', updateDownload);
  $('timeline').addEventListener('click', onTimelineClick);
  $('rec-video').addEventListener('error', () => say('The recording cannot be played (see the browser console).', true));
  try {
    await showApp(await api('GET', '/v1/session'));
  } catch {
    showLogin();
  }
  setInterval(() => { if (!$('app').hidden) refreshChannels().catch(e => say(e.message, true)); }, 5000);
}

// For tests and debugging: the live view's RTCPeerConnection.
window.peergateConsole = { livePeerConnection: () => (watching ? watching.pc : null) };

start();
