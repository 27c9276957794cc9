import { useJobProgress } from '@jobprogress/client/react';

// A job progress component on the library's hook; plus `error` (a refused or unknown job, a fatal
// connection error such as an invalid token).
export function JobProgressDisplay({ jobId, accessToken }) {
  const { progress, status, stage, message, isConnected, usingWebSocket, error } = useJobProgress(
    jobId,
    accessToken,
    {
      enableWebSocket: true,
      enablePolling: true,
      pollInterval: 2000
    }
  );

  return (
    <div>
      <div className="progress-bar">
        <div style={{ width: `${progress}%` }}>{progress}%</div>
      </div>
      <p>Status: {status}</p>
      <p>Stage: {stage}</p>
      <p>Message: {message}</p>
      <p>Connected: {isConnected ? '✓' : '✗'}</p>
      <p>Using: {usingWebSocket ? 'WebSocket' : 'Polling'}</p>
      {error && <p className="error">Error: {error}</p>}
    </div>
  );
}
