export * from './graph';
export * from './kinds';
