import fs from 'node:fs';
import { OrchestratorError } from '../../shared/errors';

/** Reads a JSON file a person pointed us at; a missing or malformed file is an error naming `field`. */
export function readJsonFile(file: string, field: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new OrchestratorError('bad_request', `${file} cannot be read: ${(error as Error).message}`, [{ field, message: 'cannot be read' }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OrchestratorError('bad_request', `${file} is not valid JSON: ${(error as Error).message}`, [{ field, message: 'is not valid JSON' }]);
  }
}
