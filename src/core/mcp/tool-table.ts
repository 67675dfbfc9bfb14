import type { z } from 'zod';
import type { Core } from '../app-core';
import type { CommandPolicy } from '../../shared/schemas/mcp';
import type { ActingTool, ConfirmDestructive } from './destructive-guard';
import type { TokenScope } from '../../shared/schemas/auth';

// What a capability's MCP tool table is given: each core folder that has tools exports one table
// (e.g. core/workloads/workload-tools.ts), and mcp-tools.ts registers them all on every server.

export interface McpToolOptions {
  version: string;
  policy: CommandPolicy;
  /** Hides every tool that is not read-only. */
  readOnly: boolean;
  confirm?: ConfirmDestructive;
  /** How long a person has to answer under `ask` (elicitation or dialog); 60 s by default. */
  askTimeoutMs?: number;
  /** Which face the calls came through, for the audit log (stdio, http, socket). */
  transport: string;
}

export type Annotations = { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
export const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Reads that reach out to nodes (SSH, Docker): not idempotent, open world. */
export const READ_REMOTE: Annotations = { ...READ, idempotentHint: false, openWorldHint: true };

export interface ToolConfig<I extends z.ZodType, O extends z.ZodType> {
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Annotations;
  /** The token scope the tool needs over HTTP; by default viewer for read-only tools, else admin. */
  scope?: TokenScope;
  /**
   * For a tool that is not read-only: its nodes, and which calls `deny` refuses. The factory passes
   * every acting call through the command policy with its parsed arguments before it runs.
   */
  acts?: ActingTool<z.output<I>>;
}

/** The scope a tool needs (the same split as REST's and the web bridge's). */
export const toolScope = (config: Pick<ToolConfig<z.ZodType, z.ZodType>, 'annotations' | 'scope'>): TokenScope => config.scope ?? (config.annotations.readOnlyHint ? 'viewer' : 'admin');

export type DefineTool = <I extends z.ZodType, O extends z.ZodType>(
  name: string,
  config: ToolConfig<I, O>,
  run: (args: z.output<I>) => Promise<z.output<O>> | z.output<O>,
) => void;

export interface ToolTableContext {
  core: Core;
  options: McpToolOptions;
  tool: DefineTool;
  /** Who acts, for the audit log: mcp:<transport>, and over HTTP the token's name (mcp:http:<name>). */
  actor: string;
}

export type ToolTable = (context: ToolTableContext) => void;
