export * from './orders';
export { listTags } from './tags';
export * as users from './users';
