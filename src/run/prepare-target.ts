/**
 * The hook that readies a run's target before any call is placed: for `url: builtin` it
 * starts the bundled demo receptionist (in its own process, on 127.0.0.1, on a free port)
 * and hands back a new frozen spec whose targets point at it. Targets that need nothing
 * come back unchanged.
 *
 * Variants may give the demo different settings (an A/B test of a slower agent): each
 * distinct `demo` block gets a demo process of its own.
 */
import { launchDemoProcess, type DemoProcess } from '../demo/launch.js';
import { deepFreeze } from '../spec/freeze.js';
import type { Spec, TargetSpec } from '../spec/types.js';

export interface PreparedTarget {
  /** The spec the run uses (for `builtin`, with the demo's real URL). */
  readonly spec: Spec;
  /** Stops whatever was started; called once the run is over, also after Ctrl-C. */
  stop(): Promise<void>;
}

export const BUILTIN_URL = 'builtin';

function isBuiltin(target: TargetSpec): target is Exclude<TargetSpec, { driver: 'sim' }> {
  return target.driver !== 'sim' && target.url === BUILTIN_URL;
}

export async function prepareTarget(spec: Spec): Promise<PreparedTarget> {
  const targets = [spec.target, ...spec.variants.map((variant) => variant.target)].filter(isBuiltin);
  if (targets.length === 0) return { spec, stop: () => Promise.resolve() };

  const demos = new Map<string, Promise<DemoProcess>>();
  const demoFor = (target: Exclude<TargetSpec, { driver: 'sim' }>): Promise<DemoProcess> => {
    const key = JSON.stringify(target.demo);
    let demo = demos.get(key);
    if (!demo) {
      demo = launchDemoProcess({ ...target.demo, seed: spec.load.seed });
      demos.set(key, demo);
    }
    return demo;
  };
  const stop = async (): Promise<void> => {
    const started = await Promise.allSettled(demos.values());
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  };

  try {
    const resolve = async (target: TargetSpec): Promise<TargetSpec> => {
      if (!isBuiltin(target)) return target;
      const demo = await demoFor(target);
      return { ...target, url: target.driver === 'websocket' ? demo.wsUrl : demo.url };
    };
    const variants = await Promise.all(spec.variants.map(async (variant) => ({ ...variant, target: await resolve(variant.target) })));
    const resolved: Spec = { ...structuredClone(spec), target: await resolve(spec.target), variants };
    return { spec: deepFreeze(structuredClone(resolved)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
