export * from './app.js';
export * from './environments.js';
