export * from './contract';
export * from './core';
export * from './executor';
export * from './control';
export * from './workflow-call';
