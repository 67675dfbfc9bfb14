import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the shell finds its page, preload, icons and data: the dev tree or electron-builder's layout. */
export interface AppPaths {
  /** Tray, window and notification icons: outside app.asar when packaged (extraResources → icons/). */
  iconsDir: string;
  demoNodesFile: string;
  preload: string;
  /** The renderer the window loads; also the only origin whose IPC is answered. */
  appUrl: string;
  /** The built renderer served by the optional REST API as the web UI. */
  webRoot: string;
  redocScript: string;
  swaggerUiDir: string;
}

export interface AppPathsInput {
  isPackaged: boolean;
  /** process.resourcesPath (…/resources next to app.asar). */
  resourcesPath: string;
  /** The directory of the built main process (out/main). */
  mainDir: string;
  env: NodeJS.ProcessEnv;
}

export function appPaths({ isPackaged, resourcesPath, mainDir, env }: AppPathsInput): AppPaths {
  const outDir = path.join(mainDir, '..');
  const projectDir = path.join(outDir, '..');
  const rendererFile = path.join(outDir, 'renderer/index.html');
  // A dev server URL is a development aid only: a packaged app never loads, or trusts, another origin.
  const devUrl = isPackaged ? undefined : env.ELECTRON_RENDERER_URL;
  return {
    iconsDir: isPackaged ? path.join(resourcesPath, 'icons') : path.join(projectDir, 'resources'),
    demoNodesFile: path.join(isPackaged ? resourcesPath : projectDir, 'data/nodes.json'),
    preload: path.join(outDir, 'preload/index.cjs'),
    appUrl: devUrl ?? pathToFileURL(rendererFile).href,
    webRoot: path.join(outDir, 'renderer'),
    redocScript: path.join(outDir, 'docs/redoc.standalone.js'),
    swaggerUiDir: path.join(outDir, 'docs/swagger-ui'),
  };
}
