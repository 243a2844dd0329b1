export * from './graph-builder';
