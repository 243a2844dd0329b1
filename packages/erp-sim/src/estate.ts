import { startBackOfficeSim, type BackOfficeSimHandle, type BackOfficeSimOptions } from './back-office/index';
import { startBusinessCentralSim, type BusinessCentralSimOptions } from './business-central/index';
import type { SimHandle } from './core/sim-kit';
import { startOracleFusionSim, type OracleFusionSimOptions } from './oracle-fusion/index';
import { startNetSuiteSim, type NetSuiteSimHandle, type NetSuiteSimOptions } from './netsuite/index';
import { startSapSim, type SapSimOptions } from './sap/index';
import { startWorkdaySim, type WorkdaySimOptions } from './workday/index';

export type SimulatorName = 'netsuite' | 'businessCentral' | 'sap' | 'workday' | 'backOffice' | 'oracleFusion';
export const SIMULATOR_NAMES: SimulatorName[] = ['netsuite', 'businessCentral', 'sap', 'workday', 'backOffice', 'oracleFusion'];

export interface EstateOptions {
  host?: string;
  /** Fixed ports per simulator; 0 or absent picks a free one. */
  ports?: Partial<Record<SimulatorName, number>>;
  clock?: () => number;
  seed?: number;
  adminToken?: string;
  /** Per-simulator options (credentials, limits); the demo estate's credentials otherwise. */
  netsuite?: NetSuiteSimOptions;
  businessCentral?: BusinessCentralSimOptions;
  sap?: SapSimOptions;
  workday?: WorkdaySimOptions;
  backOffice?: BackOfficeSimOptions;
  oracleFusion?: OracleFusionSimOptions;
}

export interface Estate {
  netsuite: NetSuiteSimHandle;
  businessCentral: SimHandle;
  sap: SimHandle;
  workday: SimHandle;
  backOffice: BackOfficeSimHandle;
  oracleFusion: SimHandle;
  urls: Record<SimulatorName, string>;
  /** Drops every simulator's records and faults. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the six simulators of the demo estate; if one fails to start, the others are closed again. */
export async function startAllSimulators(opts: EstateOptions = {}): Promise<Estate> {
  const common = (name: SimulatorName) => ({
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.adminToken !== undefined ? { adminToken: opts.adminToken } : {}),
    port: opts.ports?.[name] ?? 0,
  });
  const started = await Promise.allSettled([
    startNetSuiteSim({ ...opts.netsuite, ...common('netsuite') }),
    startBusinessCentralSim({ ...opts.businessCentral, ...common('businessCentral') }),
    startSapSim({ ...opts.sap, ...common('sap') }),
    startWorkdaySim({ ...opts.workday, ...common('workday') }),
    startBackOfficeSim({ ...opts.backOffice, ...common('backOffice') }),
    startOracleFusionSim({ ...opts.oracleFusion, ...common('oracleFusion') }),
  ]);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  const [netsuite, businessCentral, sap, workday, backOffice, oracleFusion] = started.map((s) => (s as PromiseFulfilledResult<SimHandle>).value) as [
    NetSuiteSimHandle,
    SimHandle,
    SimHandle,
    SimHandle,
    BackOfficeSimHandle,
    SimHandle,
  ];
  const all = [netsuite, businessCentral, sap, workday, backOffice, oracleFusion];
  return {
    netsuite,
    businessCentral,
    sap,
    workday,
    backOffice,
    oracleFusion,
    urls: {
      netsuite: netsuite.url,
      businessCentral: businessCentral.url,
      sap: sap.url,
      workday: workday.url,
      backOffice: backOffice.url,
      oracleFusion: oracleFusion.url,
    },
    reset: () => all.forEach((s) => s.reset()),
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
