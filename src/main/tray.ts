import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { TrayHandle } from './tray-controller';
import { trayIconFile, type MenuSpec, type TrayAction, type TrayColour } from './tray-presentation';

/** Electron's Tray behind the TrayHandle the controller drives. */
export function electronTray(resourcesDir: string): TrayHandle {
  const icon = (colour: TrayColour) => nativeImage.createFromPath(path.join(resourcesDir, trayIconFile(colour, process.platform)));
  const tray = new Tray(icon('grey'));
  const toItems = (menu: MenuSpec[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] =>
    menu.map((item) => {
      switch (item.type) {
        case 'label':
          return { label: item.label, enabled: false };
        case 'separator':
          return { type: 'separator' };
        case 'action':
          return { label: item.label, click: () => onAction(item.action) };
        case 'submenu':
          return { label: item.label, submenu: toItems(item.items, onAction) };
      }
    });
  return {
    setIcon: (colour) => tray.setImage(icon(colour)),
    setToolTip: (text) => tray.setToolTip(text),
    setMenu: (menu, onAction) => tray.setContextMenu(Menu.buildFromTemplate(toItems(menu, onAction))),
    onClick: (listener) => tray.on('click', listener),
    destroy: () => tray.destroy(),
  };
}
