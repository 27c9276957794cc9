// The demo page: register or log in, start jobs, watch each one live with the project's browser client.
import { createJobProgressClient } from './js/jobprogress/jobprogress-client.js';

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('jobprogress.token');
let email = sessionStorage.getItem('jobprogress.email');
let client = null;

async function api(path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || 'HTTP ' + res.status);
  return data;
}

async function startClient() {
  const config = await (await fetch('/api/config')).json();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  client = createJobProgressClient({
    url: scheme + '//' + location.host + config.wsPath,
    getToken: () => token,
    enableWebSocket: config.wsEnabled,
  });
  const show = (state) => {
    const why = state.error ? ' (' + state.error.code + ')' : '';
    $('connected').textContent = state.connected ? 'Connected ✓' : 'Connected ✗' + why;
    $('transport').textContent = state.usingWebSocket ? 'Using WebSocket' : 'Using Polling';
  };
  show(client.getState());
  client.onStateChange(show);
}

function showLoggedIn() {
  $('auth-panel').hidden = true;
  $('job-panel').hidden = false;
  $('connection').hidden = false;
  $('who').textContent = email;
}

$('auth-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const action = e.submitter && e.submitter.value === 'login' ? 'login' : 'register';
  $('auth-error').textContent = '';
  try {
    const data = await api('/api/auth/' + action, { email: $('email').value, password: $('password').value });
    token = data.accessToken;
    email = data.user.email;
    sessionStorage.setItem('jobprogress.token', token);
    sessionStorage.setItem('jobprogress.email', email);
    await startClient();
    showLoggedIn();
  } catch (err) {
    $('auth-error').textContent = err.message;
  }
});

$('job-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('job-error').textContent = '';
  const prompt = $('prompt').value;
  try {
    const { jobId } = await api('/api/generate-from-prompt', { prompt });
    addJob(jobId, prompt);
  } catch (err) {
    $('job-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', () => {
  sessionStorage.clear();
  location.reload();
});

function addJob(jobId, prompt) {
  const li = $('job-template').content.firstElementChild.cloneNode(true);
  li.dataset.jobId = jobId;
  li.dataset.status = 'queued';
  li.querySelector('.prompt').textContent = prompt;
  li.querySelector('.status').textContent = 'queued';
  li.querySelector('.job-id').textContent = jobId;
  $('jobs').prepend(li);
  client.subscribe(jobId, (event) => {
    if (event.type === 'error') {
      li.querySelector('.message').textContent = event.error;
      return;
    }
    li.dataset.status = event.status;
    li.querySelector('.status').textContent = event.status;
    li.querySelector('.fill').style.width = event.progress + '%';
    li.querySelector('.percent').textContent = event.progress + '%';
    li.querySelector('.stage').textContent = event.stage || '';
    li.querySelector('.message').textContent = event.message || '';
  });
}

// A remembered token may have expired, or the server restarted with a new random JWT_SECRET.
if (token) {
  fetch('/api/auth/me', { headers: { Authorization: 'Bearer ' + token } }).then(async (res) => {
    if (res.ok) {
      await startClient();
      showLoggedIn();
    } else {
      sessionStorage.clear();
      token = null;
    }
  });
}
