export * from './contract';
export * from './core';
