import { useEffect, useState } from 'react';
import { JobProgressDisplay } from './JobProgressDisplay.jsx';

/**
 * Reads the server's `GET /api/config` (`wsPath`, `wsEnabled`) once: where the WebSocket is, and whether
 * there is one at all. With `wsEnabled: false` the hooks only poll, instead of opening handshakes that
 * can only fail. Null until it is known.
 */
function useServerConfig() {
  const [config, setConfig] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let cancelled = false;
    fetch('/api/config')
      .then((response) => {
        if (!response.ok) throw new Error(`GET /api/config answered ${response.status}`);
        return response.json();
      })
      .then((body) => {
        if (cancelled) return;
        const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
        setConfig({ wsUrl: `${scheme}//${location.host}${body.wsPath ?? '/ws'}`, wsEnabled: body.wsEnabled !== false });
      })
      .catch((e) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, []);
  return { config, error };
}

/** POSTs JSON to the demo server (same origin: Vite proxies /api); throws with the server's reason. */
async function postJson(path, body, accessToken) {
  const headers = { 'Content-Type': 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (!response.ok) {
    const reason = data?.error ?? data?.message ?? text ?? '';
    throw new Error(`${response.status} ${response.statusText}${reason ? `: ${reason}` : ''}`);
  }
  return data;
}

function AuthForm({ onSignedIn }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(action) {
    setBusy(true);
    setError(null);
    try {
      const { accessToken, user } = await postJson(`/api/auth/${action}`, { email, password });
      onSignedIn(accessToken, user ?? { email });
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        submit('login');
      }}
    >
      <h2>Sign in</h2>
      <label>
        Email
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="username" />
      </label>
      <label>
        Password
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          autoComplete="current-password"
        />
      </label>
      <div className="buttons">
        <button type="submit" disabled={busy}>
          Log in
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={(e) => {
            if (e.currentTarget.form.reportValidity()) submit('register');
          }}
        >
          Register
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

function PromptForm({ accessToken, onJobStarted }) {
  const [prompt, setPrompt] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await postJson('/api/generate-from-prompt', { prompt }, accessToken);
      onJobStarted({ jobId, prompt });
      setPrompt('');
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit}>
      <label>
        Prompt
        <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={3} required />
      </label>
      <div className="buttons">
        <button type="submit" disabled={busy}>
          Generate
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

/** Follows a job started elsewhere (another tab, a colleague's link, a worker): by its id. */
function WatchForm({ onWatch }) {
  const [jobId, setJobId] = useState('');
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        onWatch(jobId.trim());
        setJobId('');
      }}
    >
      <label>
        Watch a job by id
        <input value={jobId} onChange={(e) => setJobId(e.target.value)} placeholder="job-…" required />
      </label>
      <div className="buttons">
        <button type="submit">Watch</button>
      </div>
    </form>
  );
}

export default function App() {
  // The token lives in memory only: reloading the page signs out.
  const [accessToken, setAccessToken] = useState(null);
  const [user, setUser] = useState(null);
  const [jobs, setJobs] = useState([]);
  const { config, error: configError } = useServerConfig();
  const addJob = (job) => setJobs((list) => (list.some((j) => j.jobId === job.jobId) ? list : [job, ...list]));

  function signOut() {
    setAccessToken(null);
    setUser(null);
    setJobs([]);
  }

  return (
    <main>
      <h1>jobprogress · React example</h1>
      {configError && <p className="error">Server configuration unavailable: {configError}</p>}
      {!accessToken ? (
        <AuthForm
          onSignedIn={(token, signedInUser) => {
            setAccessToken(token);
            setUser(signedInUser);
          }}
        />
      ) : (
        <>
          <p className="who">
            Signed in as <strong>{user?.email}</strong>{' '}
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </p>
          <PromptForm accessToken={accessToken} onJobStarted={addJob} />
          <WatchForm onWatch={(jobId) => addJob({ jobId, prompt: '(watched by id)' })} />
          {config &&
            jobs.map((job) => (
              <section className="card job" key={job.jobId}>
                <h3>
                  {job.prompt} <code>{job.jobId}</code>
                </h3>
                <JobProgressDisplay jobId={job.jobId} accessToken={accessToken} config={config} />
              </section>
            ))}
        </>
      )}
    </main>
  );
}
