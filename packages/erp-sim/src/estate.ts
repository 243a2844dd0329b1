import { startBackOfficeSim, type BackOfficeSimHandle, type BackOfficeSimOptions } from './back-office/index';
import { startBusinessCentralSim, type BusinessCentralSimOptions } from './business-central/index';
import type { SimHandle } from './core/sim-kit';
import { startNetSuiteSim, type NetSuiteSimHandle, type NetSuiteSimOptions } from './netsuite/index';
import { startSapSim, type SapSimOptions } from './sap/index';
import { startWorkdaySim, type WorkdaySimOptions } from './workday/index';

export type SimulatorName = 'netsuite' | 'businessCentral' | 'sap' | 'workday' | 'backOffice';
export const SIMULATOR_NAMES: SimulatorName[] = ['netsuite', 'businessCentral', 'sap', 'workday', 'backOffice'];

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
}

export interface Estate {
  netsuite: NetSuiteSimHandle;
  businessCentral: SimHandle;
  sap: SimHandle;
  workday: SimHandle;
  backOffice: BackOfficeSimHandle;
  urls: Record<SimulatorName, string>;
  /** Drops every simulator's records and faults. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the five simulators of the demo estate; if one fails to start, the others are closed again. */
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
  ]);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  const [netsuite, businessCentral, sap, workday, backOffice] = started.map((s) => (s as PromiseFulfilledResult<SimHandle>).value) as [
    NetSuiteSimHandle,
    SimHandle,
    SimHandle,
    SimHandle,
    BackOfficeSimHandle,
  ];
  const all = [netsuite, businessCentral, sap, workday, backOffice];
  return {
    netsuite,
    businessCentral,
    sap,
    workday,
    backOffice,
    urls: { netsuite: netsuite.url, businessCentral: businessCentral.url, sap: sap.url, workday: workday.url, backOffice: backOffice.url },
    reset: () => all.forEach((s) => s.reset()),
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
