import { useJobProgress } from '@jobprogress/client/react';

const MODES = {
  connecting: 'Connecting…',
  websocket: 'WebSocket',
  polling: 'Polling',
  idle: 'Idle (job finished)',
  stopped: 'Stopped',
};

// A job progress component on the library's hook, with `mode` and the structured `error`. The server's
// `/api/config` decides WebSocket or polling (`config`). With `stopWhenTerminal` a finished job stops
// being followed; once every job on the page is finished the shared client closes, so nothing
// reconnects any more.
export function JobProgressDisplay({ jobId, accessToken, config }) {
  const { progress, status, stage, message, isConnected, mode, error } = useJobProgress(jobId, accessToken, {
    url: config.wsUrl,
    enableWebSocket: config.wsEnabled,
    enablePolling: true,
    pollInterval: 2000,
    stopWhenTerminal: true,
  });

  return (
    <div>
      <div className="progress-bar">
        <div style={{ width: `${progress}%` }}>{progress}%</div>
      </div>
      <p>Status: {status}</p>
      <p>Stage: {stage}</p>
      <p>Message: {message}</p>
      <p>Connected: {isConnected ? '✓' : '✗'}</p>
      <p>Using: {MODES[mode]}</p>
      {error && (
        <p className="error">
          Error: {error.code === 'forbidden' ? 'this job belongs to another user' : error.code === 'not_found' ? 'no such job' : error.message}{' '}
          <code>{error.code}</code>
        </p>
      )}
    </div>
  );
}
