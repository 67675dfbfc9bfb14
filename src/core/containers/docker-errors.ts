import { OrchestratorError } from '../../shared/errors';
import type { Node } from '../../shared/schemas/node';
import { DockerDialError } from './docker-dialer';
import { EngineStatusError } from './docker-engine';

const field = (message: string) => [{ field: 'docker', message }];

/**
 * Every way reaching a node's Docker can fail, as one clear error: docker missing, the socket
 * refused, the daemon down, a timeout, or the daemon's own answer (no such container, not a manager).
 */
export function dockerError(error: unknown, node: Node, user: string): OrchestratorError {
  if (error instanceof OrchestratorError) return error; // SSH already said what went wrong
  const where = node.docker?.via === 'local' ? `this machine (${node.docker.host ?? 'unix:///var/run/docker.sock'})` : node.id;
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof EngineStatusError) {
    if (error.statusCode === 404) return new OrchestratorError('not_found', `Docker on ${node.id}: ${error.message}`, field('not found'));
    if (error.statusCode === 409 || error.statusCode === 304) return new OrchestratorError('conflict', `Docker on ${node.id}: ${error.message}`, field('conflict'));
    if (error.statusCode === 503 && /not a swarm manager|not part of a swarm/i.test(error.message)) return new OrchestratorError('conflict', `Docker on ${node.id}: ${error.message}`, field('not a swarm manager'));
    if (error.statusCode === 400) return new OrchestratorError('bad_request', `Docker on ${node.id} refused the request: ${error.message}`, field('refused'));
    return new OrchestratorError('unavailable', `Docker on ${node.id} failed: ${error.message}`, field(`HTTP ${error.statusCode}`));
  }
  const code = (error as NodeJS.ErrnoException).code;
  if ((error instanceof DockerDialError && error.exitCode === 127) || /docker: (command )?not found|docker: No such file/i.test(text)) {
    return new OrchestratorError('unavailable', `Docker is not installed on ${where}: \`docker\` is not on the PATH of ${user}'s SSH session`, field('not installed'));
  }
  if (code === 'EACCES' || /permission denied/i.test(text)) {
    return new OrchestratorError('forbidden', `Permission denied on the Docker socket of ${where}: ${user} must be in the docker group (or set docker.host to a socket it may use)`, field('permission denied'));
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || /cannot connect to the docker daemon|no such file or directory|connection refused|is the docker daemon running/i.test(text)) {
    return new OrchestratorError('unavailable', `The Docker daemon on ${where} is not running, or not at ${node.docker?.host ?? 'its default socket'}: ${firstLine(text)}`, field('daemon down'));
  }
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
    return new OrchestratorError('unavailable', `Docker on ${where} did not answer in time`, field('timeout'));
  }
  return new OrchestratorError('unavailable', `Docker on ${where} failed: ${firstLine(text)}`, field('failed'));
}

const firstLine = (s: string): string => s.trim().split('\n')[0].slice(0, 300);
