export { TasksTable, TaskResult } from './TasksTable';
