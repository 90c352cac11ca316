import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';

/** A LoggerService whose methods are jest mocks, as mockServices.logger.mock() gives. */
export function mockLogger(): jest.Mocked<LoggerService> {
  const logger: jest.Mocked<LoggerService> = {
    error: jest.fn(),
    warn: jest.fn(),
    info: jest.fn(),
    debug: jest.fn(),
    child: jest.fn(),
  };
  logger.child.mockImplementation(() => logger);
  return logger;
}

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces.splice(0))
    fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The context `createMockActionContext` of
 * @backstage/plugin-scaffolder-node-test-utils makes, with the same defaults
 * and overrides, built here: that package loads
 * @backstage/backend-test-utils and with it @backstage/backend-defaults,
 * seconds of module loading in every test file that only needs this.
 * Differences: the default logger is a mocked LoggerService (the upstream
 * one wraps the same mock in winston), and a default workspace is removed
 * after the file's tests.
 */
export function createMockActionContext<
  TActionInput extends JsonObject = JsonObject,
  TActionOutput extends JsonObject = any,
>(
  options?: Partial<ActionContext<TActionInput, TActionOutput>>,
): ActionContext<TActionInput, TActionOutput> {
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    version: 'v1',
    principal: { type: 'user', userEntityRef: 'user:default/mock' },
  } as const;
  const defaultContext = {
    logger: mockLogger(),
    logStream: new PassThrough(),
    output: jest.fn(),
    createTemporaryDirectory: jest.fn(),
    input: {} as TActionInput,
    async checkpoint(opts: { fn: () => any }) {
      return opts.fn();
    },
    getInitiatorCredentials: () => Promise.resolve(credentials),
    task: { id: 'mock-task-id' },
    step: { id: 'mock-step-id', name: 'mock step name' },
  };
  const defaultWorkspace = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-mock-ctx-'));
    workspaces.push(root);
    return { workspacePath: path.join(root, 'workspace') };
  };
  if (!options) return { ...defaultContext, ...defaultWorkspace() } as any;
  const { input, logger, secrets, templateInfo, workspacePath, task, user } =
    options;
  return {
    ...defaultContext,
    ...(workspacePath ? { workspacePath } : defaultWorkspace()),
    ...(workspacePath && {
      createTemporaryDirectory: jest.fn().mockResolvedValue(workspacePath),
    }),
    ...(logger && { logger }),
    ...(input && { input }),
    ...(secrets && { secrets }),
    ...(task && { task }),
    ...(user && { user }),
    templateInfo,
  } as any;
}
