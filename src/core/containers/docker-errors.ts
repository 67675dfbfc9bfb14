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
    // Docker's own words are quoted in every language (`detail`): they are the daemon's, not ours.
    const said = { node: node.id, detail: error.message };
    if (error.statusCode === 404) return new OrchestratorError('not_found', `Docker on ${node.id}: ${error.message}`, field('not found'), { code: 'docker_said', params: said });
    if (error.statusCode === 409 || error.statusCode === 304) return new OrchestratorError('conflict', `Docker on ${node.id}: ${error.message}`, field('conflict'), { code: 'docker_said', params: said });
    if (error.statusCode === 503 && /not a swarm manager|not part of a swarm/i.test(error.message)) return new OrchestratorError('conflict', `Docker on ${node.id}: ${error.message}`, field('not a swarm manager'), { code: 'docker_not_manager', params: said });
    if (error.statusCode === 400) return new OrchestratorError('bad_request', `Docker on ${node.id} refused the request: ${error.message}`, field('refused'), { code: 'docker_refused', params: said });
    return new OrchestratorError('unavailable', `Docker on ${node.id} failed: ${error.message}`, field(`HTTP ${error.statusCode}`), { code: 'docker_failed', params: said });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if ((error instanceof DockerDialError && error.exitCode === 127) || /docker: (command )?not found|docker: No such file/i.test(text)) {
    return new OrchestratorError('unavailable', `Docker is not installed on ${where}: \`docker\` is not on the PATH of ${user}'s SSH session`, field('not installed'), { code: 'docker_not_installed', params: { node: node.id, user } });
  }
  if (code === 'EACCES' || /permission denied/i.test(text)) {
    return new OrchestratorError('forbidden', `Permission denied on the Docker socket of ${where}: ${user} must be in the docker group (or set docker.host to a socket it may use)`, field('permission denied'), {
      code: 'docker_permission',
      params: { node: node.id, user },
    });
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || /cannot connect to the docker daemon|no such file or directory|connection refused|is the docker daemon running/i.test(text)) {
    return new OrchestratorError('unavailable', `The Docker daemon on ${where} is not running, or not at ${node.docker?.host ?? 'its default socket'}: ${firstLine(text)}`, field('daemon down'), {
      code: 'docker_daemon_down',
      params: { node: node.id, socket: node.docker?.host ?? 'unix:///var/run/docker.sock', detail: firstLine(text) },
    });
  }
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
    return new OrchestratorError('unavailable', `Docker on ${where} did not answer in time`, field('timeout'), { code: 'docker_timeout', params: { node: node.id } });
  }
  return new OrchestratorError('unavailable', `Docker on ${where} failed: ${firstLine(text)}`, field('failed'), { code: 'docker_failed', params: { node: node.id, detail: firstLine(text) } });
}

const firstLine = (s: string): string => s.trim().split('\n')[0].slice(0, 300);
