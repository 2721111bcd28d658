/**
 * The driver factory: the one place that maps `target.driver` to an implementation.
 * A worker thread makes one driver per variant target and shares it across its calls, so
 * drivers may pool connections.
 */
import type { TargetSpec } from '../spec/types.js';
import { HttpDriver } from './http.js';
import { SimDriver } from './sim.js';
import type { Driver } from './types.js';
import { WebSocketDriver } from './websocket.js';

export function createDriver(target: TargetSpec): Driver {
  switch (target.driver) {
    case 'sim':
      return new SimDriver(target);
    case 'http':
      return new HttpDriver();
    case 'websocket':
      return new WebSocketDriver();
  }
}
