export * from './charts.js';
export * from './names.js';
export * from './harbor.js';
export * from './harbor-availability.js';
export * from './harbor-user-settings.js';
export * from './database-hook.js';
export * from './velero.js';
export * from './image-caches.js';
